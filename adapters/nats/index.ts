/**
 * The `nats` target: publishes each event to its expanded subject, through
 * core NATS (acked after a flush round trip: the server has it, nothing more)
 * or JetStream (acked on the stream's PubAck, duplicates dropped by
 * `Nats-Msg-Id`). The client library is loaded only when a target is created.
 * The connection comes from an injected transport (node/target.ts composes
 * TCP for Node, workers/connect.ts the sockets of workerd): nothing here
 * imports runtime-specific code.
 */
import type { MsgHdrs, NatsConnection } from "@nats-io/nats-core";
import {
  type Adapter,
  type AdapterFactory,
  type AdapterRuntime,
  acked,
  type OutboundMessage,
  type PublishOptions,
  type PublishOutcome,
  retriable,
  terminal,
} from "../../src/adapter/adapter.js";
import { msUntil } from "../../src/adapter/ms-until.js";
import { untilAborted } from "../../src/adapter/until-aborted.js";
import type { NatsPayload } from "../../src/bindings/nats/encode.js";
import { describeError } from "../../src/errors/errors.js";
import { ManagedConnection } from "./connection.js";
import { natsDescriptor } from "./descriptor.js";
import { natsPayloadOf, natsTargetEncoding } from "./encoding.js";
import { messageIdOf } from "./message-id.js";
import { type NatsOptions, serversOf } from "./options.js";

/** Opens a connection for the options (injected: TCP on Node, `cloudflare:sockets` on Workers). */
export type NatsTransport = (options: NatsOptions, name: string) => Promise<NatsConnection>;

/** Connections are shared by targets with the same servers and credentials. */
const connectionKey = (options: NatsOptions) =>
  `nats:${JSON.stringify([serversOf(options), options.token, options.user, options.pass, options.nkey, options.creds, options.tls, options.reconnectWaitMs])}`;

type NatsCore = typeof import("@nats-io/nats-core");

function buildHeaders(core: NatsCore, payload: NatsPayload): MsgHdrs {
  const h = core.headers();
  for (const [name, value] of payload.headers) h.set(name, value);
  return h;
}

/** JetStream API errors carry an HTTP-like code: 4xx means the stream refused the message for good. */
function classifyJetStreamError(error: unknown, subject: string): PublishOutcome {
  const name = (error as { name?: string }).name;
  if (name === "PermissionViolationError" || /permissions violation/i.test(describeError(error))) {
    return terminal(`NATS refused the publish to ${subject}: ${describeError(error)}`, 403);
  }
  if (name === "JetStreamNotEnabled" || name === "NoRespondersError") {
    return retriable(`No JetStream stream answered for subject ${subject} (is a stream capturing it?)`);
  }
  const api = (
    error as { apiError?: () => { code: number; err_code?: number; description: string } }
  ).apiError?.();
  if (api !== undefined && api.code < 500 && api.code !== 408 && api.code !== 429) {
    return terminal(
      `JetStream refused the message: ${api.description} (${api.err_code ?? api.code})`,
      api.code,
    );
  }
  return retriable(`JetStream did not acknowledge: ${describeError(error)}`);
}

export function createNatsAdapter(
  options: NatsOptions,
  runtime: AdapterRuntime,
  transport: NatsTransport,
): Adapter {
  const useJetStream = options.jetstream !== undefined;
  const lease = runtime.shared.acquire(
    connectionKey(options),
    () =>
      new ManagedConnection(
        () => transport(options, "ce-gateway"),
        options.reconnectWaitMs ?? 250,
        runtime.nextTurn,
      ),
    (connection) => connection.close(),
  );
  const connection = lease.value;
  // The client library, loaded once per adapter rather than on every publish.
  const sdk = Promise.all([import("@nats-io/nats-core"), import("@nats-io/jetstream")]);
  const subjectOf = (message: OutboundMessage) => message.address ?? options.subject;
  const encoding = natsTargetEncoding(options);
  /** The router's encoding when it gave one, else this target's own (a direct caller). */
  const encode = (message: OutboundMessage) => message.encoded ?? encoding.encode(message);
  /** Refused before anything is sent: no server would take it, now or later. */
  const unsendable = (reason: string) => terminal(`The event cannot be sent to NATS: ${reason}`);
  const maxPayload = () => connection.maxPayload ?? Number.POSITIVE_INFINITY;

  const tooLarge = (size: number) =>
    terminal(`The message is ${size} bytes; the NATS server's max_payload is ${maxPayload()}`, 413);

  async function publishJetStream(
    nc: NatsConnection,
    messages: readonly OutboundMessage[],
    { signal, deadline }: PublishOptions,
  ) {
    const [core, { jetstream }] = await sdk;
    // The client takes its timeout as a number: what is left of the attempt.
    const timeout = msUntil(deadline);
    const js = jetstream(nc, { timeout });
    // Started in order, so the stream stores a batch in the order given.
    const pending = messages.map((message): Promise<PublishOutcome> => {
      const encoded = encode(message);
      if (!encoded.ok) return Promise.resolve(unsendable(encoded.reason));
      const payload = natsPayloadOf(encoded);
      const msgID = messageIdOf(message.event);
      const headers = buildHeaders(core, payload);
      if (encoded.size > maxPayload()) return Promise.resolve(tooLarge(encoded.size));
      const expect =
        options.jetstream?.stream === undefined ? undefined : { streamName: options.jetstream.stream };
      const published = js.publish(subjectOf(message), payload.data, {
        msgID,
        headers,
        timeout,
        ...(expect && { expect }),
      });
      return untilAborted(published, signal).then(
        (ack) =>
          acked({
            id: `${ack.stream}:${ack.seq}`,
            stream: ack.stream,
            sequence: ack.seq,
            duplicate: ack.duplicate,
          }),
        (error: unknown) => classifyJetStreamError(error, subjectOf(message)),
      );
    });
    return Promise.all(pending);
  }

  async function publishCore(nc: NatsConnection, messages: readonly OutboundMessage[], signal: AbortSignal) {
    const [core] = await sdk;
    const outcomes: (PublishOutcome | undefined)[] = [];
    for (const message of messages) {
      const encoded = encode(message);
      if (!encoded.ok) {
        outcomes.push(unsendable(encoded.reason));
        continue;
      }
      const payload = natsPayloadOf(encoded);
      if (encoded.size > maxPayload()) {
        outcomes.push(tooLarge(encoded.size));
        continue;
      }
      try {
        nc.publish(subjectOf(message), payload.data, { headers: buildHeaders(core, payload) });
        outcomes.push(undefined);
      } catch (error) {
        outcomes.push(terminal(`NATS refused the message: ${describeError(error)}`));
      }
    }
    // Core NATS has no acknowledgement: a flush round trip proves the server received what came
    // before it, and a publish it refused (permissions) is reported before that round trip ends.
    const { result: flushed, denied } = await connection.collectDenials(() =>
      untilAborted(nc.flush(), signal).then(
        () => undefined,
        (error: unknown) => retriable(`NATS did not confirm receipt: ${describeError(error)}`),
      ),
    );
    return outcomes.map((outcome, i) => {
      const subject = subjectOf(messages[i] as OutboundMessage);
      const denial = denied.find((d) => d.subject === subject);
      if (outcome === undefined && denial !== undefined)
        return terminal(`NATS refused the publish to ${subject}: ${denial.message}`, 403);
      return outcome ?? flushed ?? acked();
    });
  }

  return {
    type: "nats",
    capabilities: {
      batching: true,
      orderingKeys: false,
      brokerDedup: useJetStream,
      modes: ["binary", "structured"],
      runsOnWorkers: true,
      // Unknown before the first connect: nothing is refused at ingress then (publishing is retriable anyway).
      get maxEventBytes() {
        return maxPayload();
      },
    },
    encoding,
    async publish(messages, attempt) {
      const nc = await connection.forPublish(attempt.signal);
      if (nc === undefined) {
        const why = connection.lastError === undefined ? "" : `: ${describeError(connection.lastError)}`;
        return messages.map(() => retriable(`Not connected to NATS${why}`, 1_000));
      }
      return useJetStream
        ? publishJetStream(nc, messages, attempt)
        : publishCore(nc, messages, attempt.signal);
    },
    async ready() {
      return connection.current !== undefined;
    },
    close: () => lease.release(),
  };
}

/** The `nats` target type over a transport: each entry composes the one its runtime has. */
export const natsTargetWith = (transport: NatsTransport): AdapterFactory<NatsOptions> => ({
  ...natsDescriptor,
  create: (options, runtime) => createNatsAdapter(options, runtime, transport),
});
