/**
 * The adapter contract suite for the fetch-based targets running inside
 * workerd: Pub/Sub over REST and Event Grid.
 */
import type { Miniflare } from "miniflare";
import { createEventGridAdapter, type EventGridOptions } from "../../adapters/eventgrid/index.js";
import { createPubsubAdapter, type PubsubOptions } from "../../adapters/pubsub/index.js";
import { portableRuntime } from "../../src/adapter/default-runtime.js";
import { decodePubsubMessage } from "../../src/bindings/pubsub/decode.js";
import {
  collect,
  describeAdapterContract,
  ignoringAddress,
  type ReceivedEvent,
} from "../adapters/contract.js";
import { freePort } from "../support/cli-process.js";
import { received } from "../support/eventgrid-fixtures.js";
import { startFakeEventGrid } from "../support/fake-eventgrid.js";
import { startFakePubsub } from "../support/fake-pubsub/index.js";
import { inWorkerd, startAdapterWorker } from "../support/workerd-adapters.js";

describeAdapterContract({
  name: "pubsub REST inside workerd",
  async setup() {
    const fake = await startFakePubsub({ projectId: "p" });
    const worker: Miniflare = await startAdapterWorker();
    const base: PubsubOptions = {
      projectId: "p",
      topic: "unused",
      api: "rest",
      apiEndpoint: fake.restUrl,
      timeoutMs: 3_000,
    };
    const proxy = (options: PubsubOptions) =>
      inWorkerd(worker, "pubsub", options, createPubsubAdapter(options, portableRuntime()));
    const topics = new Set<string>();
    return {
      adapter: proxy(base),
      addressFor: (runId: string, test: string) => {
        const topic = `contract-${runId}-${test}`;
        if (!topics.has(topic)) fake.createTopic(topic);
        topics.add(topic);
        return topic;
      },
      received: (prefix: string, count: number) =>
        collect(
          (): ReceivedEvent[] =>
            fake.allMessages().map((m) => ({
              event: decodePubsubMessage(m.attributes, m.data),
              address: m.topic.replace(/^projects\/[^/]+\/topics\//, ""),
            })),
          prefix,
          count,
        ),
      unreachable: async () =>
        ignoringAddress(
          proxy({ ...base, apiEndpoint: `http://127.0.0.1:${await freePort()}`, timeoutMs: 1_000 }),
        ),
      refusing: async () => ignoringAddress(proxy({ ...base, topic: "no-such-topic" })),
      writesBinaryMode: true,
      async teardown() {
        await worker.dispose();
        await fake.close();
      },
    };
  },
});

describeAdapterContract({
  name: "Event Grid inside workerd",
  async setup() {
    // Shared access signatures generated inside workerd (WebCrypto HMAC), checked by the fake.
    const sasKey = Buffer.from("workerd-topic-key").toString("base64");
    const fake = await startFakeEventGrid({ sasKey });
    const worker: Miniflare = await startAdapterWorker();
    const base: EventGridOptions = {
      api: "rest",
      endpoint: `${fake.url}/api/events`,
      sasToken: { key: sasKey },
      allowInsecure: true,
      timeoutMs: 3_000,
    };
    const proxy = (options: EventGridOptions) =>
      inWorkerd(worker, "eventgrid", options, createEventGridAdapter(options, portableRuntime()));
    return {
      adapter: proxy(base),
      received: (prefix: string, count: number) => collect(() => received(fake), prefix, count),
      unreachable: async () =>
        proxy({ ...base, endpoint: `http://127.0.0.1:${await freePort()}/api/events`, timeoutMs: 1_000 }),
      refusing: async () =>
        proxy({ ...base, sasToken: { key: Buffer.from("another-key").toString("base64") } }),
      keepsAttributeTypes: true,
      async teardown() {
        await worker.dispose();
        await fake.close();
      },
    };
  },
});
