/**
 * The adapter contract suite for the Pub/Sub REST client running inside
 * workerd: a proxy adapter on the Node side forwards each publish (events in
 * the JSON format) to a Worker, which runs the real adapter against the
 * fake's REST endpoint and returns the outcomes.
 */
import { build, type Plugin } from "esbuild";
import { Miniflare } from "miniflare";
import { createPubsubAdapter } from "../../adapters/pubsub/index.js";
import { decodePubsubMessage } from "../../adapters/pubsub/message.js";
import type { Adapter, PublishOutcome } from "../../src/adapter/adapter.js";
import { portableRuntime } from "../../src/adapter/default-runtime.js";
import { toJsonFormat } from "../../src/event/json-format.js";
import {
  collect,
  describeAdapterContract,
  ignoringAddress,
  type ReceivedEvent,
} from "../adapters/contract.js";
import { freePort, projectRoot } from "../support/cli-process.js";
import { type FakePubsub, startFakePubsub } from "../support/fake-pubsub/index.js";

const WORKER = `
import { createPubsubAdapter } from "./adapters/pubsub/index.ts";
import { portableRuntime } from "./src/adapter/default-runtime.ts";
import { decodeHttpRequest } from "./src/decode/http-binding.ts";
import { normalizeEvents } from "./src/normalize/normalize-event.ts";
export default {
  async fetch(request) {
    const { options, messages } = await request.json();
    const adapter = createPubsubAdapter(options, portableRuntime());
    const decoded = messages.map((m) => {
      const [event] = normalizeEvents(decodeHttpRequest(new Headers({ "content-type": "application/cloudevents+json" }), new TextEncoder().encode(m.event)).events);
      return { event, ...(m.address ? { address: m.address } : {}), ...(m.orderingKey ? { orderingKey: m.orderingKey } : {}) };
    });
    const outcomes = await adapter.publish(decoded, { signal: new AbortController().signal, deadline: Date.now() + 10000 });
    await adapter.close();
    return Response.json(outcomes);
  },
};`;

const withoutGrpc: Plugin = {
  name: "without-grpc",
  setup(b) {
    b.onResolve({ filter: /\/node\/grpc-publisher\.js$/ }, (args) => ({
      path: args.path,
      namespace: "grpc-stub",
    }));
    b.onLoad({ filter: /.*/, namespace: "grpc-stub" }, () => ({
      contents: "export const grpcPublisher = () => { throw new Error('gRPC needs Node'); };",
    }));
  },
};

/** An adapter whose publish runs inside workerd; sizes and capabilities come from the same code on this side. */
function inWorkerd(mf: Miniflare, options: Parameters<typeof createPubsubAdapter>[0]): Adapter {
  const local = createPubsubAdapter(options, portableRuntime());
  return {
    ...local,
    async publish(messages) {
      const body = JSON.stringify({
        options,
        messages: messages.map((m) => ({
          event: new TextDecoder().decode(toJsonFormat(m.event)),
          address: m.address,
          orderingKey: m.orderingKey,
        })),
      });
      const response = await mf.dispatchFetch("http://worker/publish", { method: "POST", body });
      return (await response.json()) as PublishOutcome[];
    },
  };
}

let mf: Miniflare | undefined;

describeAdapterContract({
  name: "pubsub REST inside workerd",
  async setup() {
    const fake: FakePubsub = await startFakePubsub({ projectId: "p" });
    const bundle = await build({
      stdin: { contents: WORKER, resolveDir: projectRoot, loader: "js" },
      bundle: true,
      format: "esm",
      platform: "neutral",
      conditions: ["workerd", "worker", "browser"],
      mainFields: ["module", "main"],
      plugins: [withoutGrpc],
      write: false,
      logLevel: "silent",
    });
    mf = new Miniflare({
      modules: true,
      script: bundle.outputFiles[0]?.text ?? "",
      compatibilityDate: "2025-09-01",
    });
    const base = {
      projectId: "p",
      topic: "unused",
      api: "rest" as const,
      apiEndpoint: fake.restUrl,
      timeoutMs: 3_000,
    };
    const topics = new Set<string>();
    const worker = mf;
    return {
      adapter: inWorkerd(worker, base),
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
          inWorkerd(worker, {
            ...base,
            apiEndpoint: `http://127.0.0.1:${await freePort()}`,
            timeoutMs: 1_000,
          }),
        ),
      refusing: async () => ignoringAddress(inWorkerd(worker, { ...base, topic: "no-such-topic" })),
      async teardown() {
        await mf?.dispose();
        await fake.close();
      },
    };
  },
});
