/**
 * The Pub/Sub target against Google's own Pub/Sub emulator: the adapter
 * contract for the official gRPC client and for the REST client, per-key
 * order, and NOT_FOUND for a missing topic. Events are read back through a
 * subscription on the emulator and decoded with the binding's decoder.
 */
process.env.METADATA_SERVER_DETECTION = "none";

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PubsubOptions } from "../../adapters/pubsub/index.js";
import { createNodePubsubAdapter } from "../../adapters/pubsub/node/target.js";
import type { Adapter } from "../../src/adapter/adapter.js";
import { portableRuntime } from "../../src/adapter/default-runtime.js";
import { decodePubsubMessage } from "../../src/bindings/pubsub/decode.js";
import { createCloudEvent } from "../../src/event/cloud-event.js";
import { pubsubHarnessParts } from "../support/pubsub-contract-parts.js";
import {
  type PubsubEmulator,
  type PulledMessage,
  pubsubEmulatorMissing,
  startPubsubEmulator,
} from "../support/pubsub-emulator.js";
import { type ContractSubject, collect, describeAdapterContract, type ReceivedEvent } from "./contract.js";

let emulator: PubsubEmulator;

type Api = "grpc" | "rest";
const endpointOf = (api: Api) => (api === "rest" ? emulator.restUrl : emulator.host);

/**
 * The contract against the emulator. Each address the suite asks for becomes
 * a topic with a subscription, created before anything is published to it.
 */
function emulatorSubject(name: string, extra: { api: Api; mode?: PubsubOptions["mode"] }): ContractSubject {
  return {
    name,
    async setup() {
      const projectId = `emulator-${extra.api}-${extra.mode ?? "binary"}`;
      const base: PubsubOptions = {
        projectId,
        topic: "unused",
        apiEndpoint: endpointOf(extra.api),
        timeoutMs: 5_000,
        ...extra,
      };
      const inner = createNodePubsubAdapter(base, portableRuntime());
      const topics = new Map<string, Promise<void>>();
      const readerOf = (topic: string) => `${topic}-reader`;
      const seen: ReceivedEvent[] = [];
      const drain = async () => {
        for (const topic of topics.keys())
          for (const m of await emulator.pull(projectId, readerOf(topic), topic))
            seen.push({ event: decodePubsubMessage(m.attributes, m.data), address: m.topic });
      };
      // The suite publishes right after naming an address: publish waits until its topics exist.
      const adapter: Adapter = {
        ...inner,
        async publish(messages, options) {
          await Promise.all(
            messages.map((m) => (m.address === undefined ? undefined : topics.get(m.address))),
          );
          return inner.publish(messages, options);
        },
      };
      return {
        adapter,
        addressFor: (runId, test) => {
          const topic = `contract-${runId}-${test}`;
          if (!topics.has(topic)) {
            const created = emulator
              .createTopic(projectId, topic)
              .then(() => emulator.createSubscription(projectId, readerOf(topic), topic));
            created.catch(() => {}); // surfaced by the publish that awaits it
            topics.set(topic, created);
          }
          return topic;
        },
        async received(prefix, count) {
          let pumping = true;
          const pump = (async () => {
            while (pumping) {
              await drain();
              await new Promise((r) => setTimeout(r, 20));
            }
          })();
          try {
            return await collect(() => seen, prefix, count);
          } finally {
            pumping = false;
            await pump;
          }
        },
        ...pubsubHarnessParts(base),
        async teardown() {
          await inner.close();
        },
      };
    },
  };
}

const options = () => ({ signal: new AbortController().signal, deadline: Date.now() + 10_000 });
const event = (id: string, extensions: [string, string][] = []) =>
  createCloudEvent({
    attributes: { specversion: "1.0", id, source: "/s", type: "t" },
    extensions: new Map(extensions),
  });

/** Pulls until `count` messages arrived (or 10 s passed), in the order the subscription gave them. */
async function pullAtLeast(projectId: string, subscription: string, topic: string, count: number) {
  const got: PulledMessage[] = [];
  const deadline = Date.now() + 10_000;
  while (got.length < count && Date.now() < deadline) {
    got.push(...(await emulator.pull(projectId, subscription, topic)));
    if (got.length < count) await new Promise((r) => setTimeout(r, 20));
  }
  return got;
}

if (pubsubEmulatorMissing !== undefined)
  console.warn(`skipping the Pub/Sub emulator tests: ${pubsubEmulatorMissing}`);

const suiteName = `Google's Pub/Sub emulator${pubsubEmulatorMissing === undefined ? "" : ` (skipped: ${pubsubEmulatorMissing})`}`;

describe.skipIf(pubsubEmulatorMissing !== undefined)(suiteName, () => {
  beforeAll(async () => {
    emulator = await startPubsubEmulator();
  }, 60_000);
  afterAll(async () => {
    await emulator?.stop();
  }, 15_000);

  describeAdapterContract(emulatorSubject("pubsub gRPC on the emulator, binary mode", { api: "grpc" }));
  describeAdapterContract(
    emulatorSubject("pubsub gRPC on the emulator, structured mode", { api: "grpc", mode: "structured" }),
  );
  describeAdapterContract(emulatorSubject("pubsub REST on the emulator, binary mode", { api: "rest" }));

  describe.each(["grpc", "rest"] as const)("Pub/Sub over %s on the emulator", (api) => {
    const projectId = `emulator-behaviour-${api}`;
    const adapter = (extra: Partial<PubsubOptions> = {}) =>
      createNodePubsubAdapter(
        { projectId, topic: "orders", api, apiEndpoint: endpointOf(api), timeoutMs: 5_000, ...extra },
        portableRuntime(),
      );

    it("keeps per-key order under concurrency, as an ordered subscription receives it", async () => {
      await emulator.createTopic(projectId, "orders");
      await emulator.createSubscription(projectId, "orders-in-order", "orders", { ordering: true });
      const a = adapter();
      const publishes = [];
      for (let i = 0; i < 30; i++)
        publishes.push(a.publish([{ event: event(`o-${i}`, [["partitionkey", `k${i % 3}`]]) }], options()));
      const outcomes = (await Promise.all(publishes)).flat();
      expect(outcomes.every((o) => o.status === "acked")).toBe(true);
      const messages = await pullAtLeast(projectId, "orders-in-order", "orders", 30);
      expect(messages).toHaveLength(30);
      for (const key of ["k0", "k1", "k2"]) {
        const ids = messages
          .filter((m) => m.orderingKey === key)
          .map((m) => Number(m.attributes["ce-id"]?.split("-").at(-1)));
        expect(ids).toHaveLength(10);
        expect(ids).toEqual([...ids].sort((x, y) => x - y));
      }
      await a.close();
    });

    it("answers terminal with the emulator's NOT_FOUND when the topic does not exist", async () => {
      const a = adapter({ topic: "never-created" });
      const [outcome] = await a.publish([{ event: event("missing-topic") }], options());
      expect(outcome).toMatchObject({ status: "terminal" });
      expect(outcome?.status === "terminal" && outcome.reason).toMatch(/NOT_FOUND/);
      await a.close();
    });
  });
});
