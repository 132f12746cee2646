/**
 * The Pub/Sub target against a local server speaking the real protocol: the
 * official client over gRPC, and the fetch-based REST client.
 */
process.env.METADATA_SERVER_DETECTION = "none";

import type { PubsubOptions } from "../../adapters/pubsub/index.js";
import { createNodePubsubAdapter } from "../../adapters/pubsub/node/target.js";
import { portableRuntime } from "../../src/adapter/default-runtime.js";
import { decodePubsubMessage } from "../../src/bindings/pubsub/decode.js";
import { type FakePubsub, startFakePubsub } from "../support/fake-pubsub/index.js";
import { pubsubHarnessParts } from "../support/pubsub-contract-parts.js";
import { collect, describeAdapterContract, type ReceivedEvent } from "./contract.js";

function received(fake: FakePubsub): ReceivedEvent[] {
  return fake.allMessages().map((m) => ({
    event: decodePubsubMessage(m.attributes, m.data),
    address: m.topic.replace(/^projects\/[^/]+\/topics\//, ""),
  }));
}

function pubsubSubject(name: string, extra: Partial<PubsubOptions>) {
  return {
    name,
    async setup() {
      const fake = await startFakePubsub({ projectId: "contract" });
      const endpoint = extra.api === "rest" ? fake.restUrl : fake.grpcHost;
      const base: PubsubOptions = {
        projectId: "contract",
        topic: "unused",
        apiEndpoint: endpoint,
        timeoutMs: 3_000,
        ...extra,
      };
      const adapter = createNodePubsubAdapter(base, portableRuntime());
      const topics = new Set<string>();
      return {
        adapter,
        addressFor: (runId: string, test: string) => {
          const topic = `contract-${runId}-${test}`;
          if (!topics.has(topic)) fake.createTopic(topic);
          topics.add(topic);
          return topic;
        },
        received: (prefix: string, count: number) => collect(() => received(fake), prefix, count),
        ...pubsubHarnessParts(base),
        async teardown() {
          await adapter.close();
          await fake.close();
        },
      };
    },
  };
}

describeAdapterContract(pubsubSubject("pubsub gRPC, binary mode", { api: "grpc" }));
describeAdapterContract(pubsubSubject("pubsub gRPC, structured mode", { api: "grpc", mode: "structured" }));
describeAdapterContract(pubsubSubject("pubsub REST, binary mode", { api: "rest" }));
