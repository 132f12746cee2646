/**
 * The `pubsub` target: Google Cloud Pub/Sub, through the REST API with fetch
 * (any runtime, Workers included) or a gRPC client the entry injects (the
 * official one on Node: `./node/target.ts`). Acked when the service returned
 * a message id. Pub/Sub has no publish-side dedup.
 */
import {
  type Adapter,
  type AdapterFactory,
  type AdapterRuntime,
  type OutboundMessage,
  type PublishOutcome,
  retriable,
  terminal,
} from "../../src/adapter/adapter.js";
import { serverAddressOf } from "../../src/adapter/server-address.js";
import { LIMITS } from "../../src/bindings/pubsub/encode.js";
import { describeError } from "../../src/errors/errors.js";
import { accessTokens, type ServiceAccountKey } from "./access-token.js";
import { pubsubDescriptor } from "./descriptor.js";
import { pubsubPayloadOf, pubsubTargetEncoding } from "./encoding.js";
import type { PubsubOptions } from "./options.js";
import type { Publisher, PubsubMessage } from "./publisher.js";
import { restPublisher } from "./rest-publisher.js";
import { withTraceAttributes } from "./trace-attributes.js";

export type { PubsubOptions } from "./options.js";

/** Clients that need more than fetch, injected by the entry whose runtime has them. */
export interface PubsubClients {
  /** `api: grpc`: a publisher over gRPC (Node's `@google-cloud/pubsub`). */
  readonly grpc?: (options: PubsubOptions) => Promise<Publisher>;
}

function restBaseUrl(apiEndpoint: string | undefined): string {
  if (apiEndpoint === undefined) return "https://pubsub.googleapis.com";
  return /^https?:\/\//.test(apiEndpoint) ? apiEndpoint.replace(/\/+$/, "") : `http://${apiEndpoint}`;
}

async function openPublisher(
  options: PubsubOptions,
  runtime: AdapterRuntime,
  clients: PubsubClients,
): Promise<Publisher> {
  if ((options.api ?? "grpc") === "grpc") {
    if (clients.grpc === undefined)
      throw new Error("api: grpc needs a gRPC client, which this runtime does not have: set api: rest");
    return clients.grpc(options);
  }
  const key =
    options.credentials?.keyJson === undefined
      ? undefined
      : (JSON.parse(options.credentials.keyJson) as ServiceAccountKey);
  return restPublisher({
    projectId: options.projectId,
    baseUrl: restBaseUrl(options.apiEndpoint),
    // With a service-account key every request carries a token; an emulator needs none. (Over REST
    // there are no Application Default Credentials: give keyJson for the public API.)
    ...(key !== undefined && {
      token: accessTokens(key, runtime.fetch, { shareInFlight: runtime.shareInFlight }),
    }),
    fetch: runtime.fetch,
  });
}

export function createPubsubAdapter(
  options: PubsubOptions,
  runtime: AdapterRuntime,
  clients: PubsubClients = {},
): Adapter {
  const encoding = pubsubTargetEncoding(options);
  /** The router's encoding when it gave one, else this target's own (a direct caller). */
  const encode = (message: OutboundMessage) => message.encoded ?? encoding.encode(message);
  const publisher = openPublisher(options, runtime, clients);
  publisher.catch(() => {});
  let closed = false;

  /** The ordering key: the template's expansion, else the partitionkey extension. */
  const orderingKeyOf = (message: OutboundMessage) => {
    if (message.orderingKey !== undefined) return message.orderingKey;
    const partition = message.event.extensions.get("partitionkey");
    return partition === undefined ? undefined : String(partition);
  };

  return {
    type: "pubsub",
    // The topic is the destination; the endpoint the service (or the emulator) is reached at.
    telemetry: {
      system: "gcp_pubsub",
      addressIsDestination: true,
      ...serverAddressOf(options.apiEndpoint ?? "pubsub.googleapis.com", "https"),
    },
    capabilities: {
      batching: true,
      orderingKeys: true,
      brokerDedup: false,
      modes: ["binary", "structured"],
      runsOnWorkers: (options.api ?? "grpc") === "rest",
      maxEventBytes: LIMITS.messageBytes,
    },
    encoding,
    async publish(messages, { signal, traceHeaders }) {
      let client: Publisher;
      try {
        client = await publisher;
      } catch (error) {
        return messages.map(() => retriable(`The Pub/Sub client could not start: ${describeError(error)}`));
      }
      const outcomes: (PublishOutcome | undefined)[] = new Array(messages.length);
      // Messages grouped by topic, in order, so each topic gets one call.
      const byTopic = new Map<string, { index: number; message: PubsubMessage }[]>();
      messages.forEach((m, index) => {
        const encoded = encode(m);
        if (!encoded.ok) {
          outcomes[index] = terminal(encoded.reason, 413);
          return;
        }
        const topic = m.address ?? options.topic;
        const orderingKey = orderingKeyOf(m);
        const list = byTopic.get(topic) ?? [];
        list.push({
          index,
          message: {
            ...withTraceAttributes(pubsubPayloadOf(encoded), traceHeaders),
            ...(orderingKey ? { orderingKey } : {}),
          },
        });
        byTopic.set(topic, list);
      });
      await Promise.all(
        [...byTopic].map(async ([topic, list]) => {
          const results = await client.publish(
            topic,
            list.map((l) => l.message),
            signal,
          );
          list.forEach((l, i) => {
            outcomes[l.index] = results[i];
          });
        }),
      );
      return outcomes.map((o) => o ?? retriable("no outcome"));
    },
    async ready() {
      if (closed) return false;
      return publisher.then(
        () => true,
        () => false,
      );
    },
    async close() {
      if (closed) return;
      closed = true;
      await (await publisher.catch(() => undefined))?.close();
    },
  };
}

/** The target type with the clients a runtime offers (REST alone when none are given). */
export function pubsubTargetWith(clients: PubsubClients = {}): AdapterFactory<PubsubOptions> {
  return {
    ...pubsubDescriptor,
    create: (options, runtime) => createPubsubAdapter(options, runtime, clients),
  };
}
