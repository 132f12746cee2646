/**
 * The gRPC face of the fake: `google.pubsub.v1.Publisher` with `Publish`,
 * `GetTopic` and `CreateTopic` over the shared state; every other method
 * answers UNIMPLEMENTED (grpc-js's default for a missing handler). Listens on
 * 127.0.0.1 on a free port, without TLS.
 */
import * as grpc from "@grpc/grpc-js";
import type { IncomingMessage } from "./limits.js";
import { parseTopicName } from "./names.js";
import { publisherServiceDefinition } from "./protos.js";
import type { FakePubsubState } from "./state.js";
import { Code, PubsubError } from "./status.js";

/** The decoded shapes proto-loader gives us (camelCase, defaults filled in). */
interface PubsubMessageIn {
  data?: Uint8Array;
  attributes?: Record<string, string>;
  orderingKey?: string;
}
interface PublishRequestIn {
  topic?: string;
  messages?: PubsubMessageIn[];
}

export interface GrpcFake {
  /** `127.0.0.1:<port>`. */
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

function toStatus(error: unknown): Partial<grpc.StatusObject> {
  if (error instanceof PubsubError) return { code: error.code, details: error.message };
  return { code: Code.INTERNAL, details: error instanceof Error ? error.message : String(error) };
}

function handle<Req, Res>(run: (request: Req) => Res): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    try {
      callback(null, run(call.request));
    } catch (error) {
      callback(toStatus(error), null);
    }
  };
}

export async function startGrpcFake(state: FakePubsubState): Promise<GrpcFake> {
  const server = new grpc.Server({
    // Above the 10 MB limit, so oversized requests reach our INVALID_ARGUMENT check.
    "grpc.max_receive_message_length": 64 * 1024 * 1024,
  });
  server.addService(publisherServiceDefinition(), {
    Publish: handle((request: PublishRequestIn) => {
      const messages: IncomingMessage[] = (request.messages ?? []).map((m) => ({
        data: m.data ?? new Uint8Array(),
        attributes: m.attributes ?? {},
        orderingKey: m.orderingKey ?? "",
      }));
      return { messageIds: state.publish("grpc", request.topic ?? "", messages) };
    }),
    // Wire names must be full (`projects/p/topics/t`); parseTopicName rejects bare ids.
    GetTopic: handle((request: { topic?: string }) => {
      parseTopicName(request.topic ?? "");
      return { name: state.getTopic(request.topic ?? "") };
    }),
    CreateTopic: handle((request: { name?: string }) => {
      parseTopicName(request.name ?? "");
      return { name: state.createTopic(request.name ?? "") };
    }),
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    );
  });
  return {
    host: `127.0.0.1:${port}`,
    port,
    close: async () => {
      server.forceShutdown();
    },
  };
}
