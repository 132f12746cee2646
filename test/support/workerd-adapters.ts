/**
 * Runs fetch-based adapters inside workerd for the contract suite: a Worker
 * builds the real adapter from the options in each request and publishes the
 * events (sent in the JSON format); a proxy adapter on the Node side forwards
 * publish calls to it and returns its outcomes.
 */
import { build, type Plugin } from "esbuild";
import { Miniflare } from "miniflare";
import type { Adapter, PublishOutcome } from "../../src/adapter/adapter.js";
import { toJsonFormat } from "../../src/event/json-format.js";
import { projectRoot } from "./cli-process.js";

const WORKER = `
import { createEventGridAdapter } from "./adapters/eventgrid/index.ts";
import { createPubsubAdapter } from "./adapters/pubsub/index.ts";
import { portableRuntime } from "./src/adapter/default-runtime.ts";
import { decodeHttpRequest } from "./src/decode/http-binding.ts";
import { normalizeEvents } from "./src/normalize/normalize-event.ts";
const factories = { pubsub: createPubsubAdapter, eventgrid: createEventGridAdapter };
export default {
  async fetch(request) {
    const { type, options, messages } = await request.json();
    const adapter = factories[type](options, portableRuntime());
    const decoded = messages.map((m) => {
      const body = new TextEncoder().encode(m.event);
      const [event] = normalizeEvents(decodeHttpRequest(new Headers({ "content-type": "application/cloudevents+json" }), body).events);
      return { event, ...(m.address ? { address: m.address } : {}), ...(m.orderingKey ? { orderingKey: m.orderingKey } : {}) };
    });
    const outcomes = await adapter.publish(decoded, { signal: new AbortController().signal, deadline: Date.now() + 10000 });
    await adapter.close();
    return Response.json(outcomes);
  },
};`;

/** Node-only clients are loaded lazily; the Worker bundle gets stubs. */
const withoutNodeClients: Plugin = {
  name: "without-node-clients",
  setup(b) {
    b.onResolve({ filter: /\/node\/(grpc-publisher|connect)\.js$/ }, (args) => ({
      path: args.path,
      namespace: "node-stub",
    }));
    b.onLoad({ filter: /.*/, namespace: "node-stub" }, () => ({
      contents:
        "export const grpcPublisher = () => { throw new Error('needs Node'); }; export const connectNode = grpcPublisher;",
    }));
  },
};

export async function startAdapterWorker(): Promise<Miniflare> {
  const bundle = await build({
    stdin: { contents: WORKER, resolveDir: projectRoot, loader: "js" },
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    plugins: [withoutNodeClients],
    external: ["crypto"],
    write: false,
    logLevel: "silent",
  });
  return new Miniflare({
    modules: true,
    script: bundle.outputFiles[0]?.text ?? "",
    compatibilityDate: "2025-09-01",
  });
}

/** An adapter whose publish runs inside workerd; sizes and capabilities come from `local`, the same code on this side. */
export function inWorkerd(
  worker: Miniflare,
  type: "pubsub" | "eventgrid",
  options: object,
  local: Adapter,
): Adapter {
  return {
    ...local,
    async publish(messages) {
      const body = JSON.stringify({
        type,
        options,
        messages: messages.map((m) => ({
          event: new TextDecoder().decode(toJsonFormat(m.event)),
          address: m.address,
          orderingKey: m.orderingKey,
        })),
      });
      const response = await worker.dispatchFetch("http://worker/publish", { method: "POST", body });
      return (await response.json()) as PublishOutcome[];
    },
  };
}
