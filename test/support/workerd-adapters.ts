/**
 * Runs fetch-based adapters inside workerd for the contract suite: a Worker
 * builds the real adapter from the options in each request and publishes the
 * events (sent in the JSON format); a proxy adapter on the Node side forwards
 * publish calls to it, with what is left of the attempt, and returns its outcomes.
 */
import { Miniflare } from "miniflare";
import type { Adapter, PublishOutcome } from "../../src/adapter/adapter.js";
import { msUntil } from "../../src/adapter/ms-until.js";
import { toJsonFormat } from "../../src/event/json-format.js";
import { bundleForWorkerd } from "./workerd-bundle.js";

const WORKER = `
import { createEventGridAdapter } from "./adapters/eventgrid/index.ts";
import { createPubsubAdapter } from "./adapters/pubsub/index.ts";
import { portableRuntime } from "./src/adapter/default-runtime.ts";
import { decodeHttpRequest } from "./src/bindings/http/decode.ts";
import { normalizeEvents } from "./src/normalize/normalize-event.ts";
const factories = { pubsub: createPubsubAdapter, eventgrid: createEventGridAdapter };
export default {
  async fetch(request) {
    const { type, options, messages, budgetMs } = await request.json();
    const adapter = factories[type](options, portableRuntime());
    const decoded = messages.map((m) => {
      const body = new TextEncoder().encode(m.event);
      const [event] = normalizeEvents(decodeHttpRequest(new Headers({ "content-type": "application/cloudevents+json" }), body).events);
      return { event, ...(m.address ? { address: m.address } : {}), ...(m.orderingKey ? { orderingKey: m.orderingKey } : {}) };
    });
    // The attempt, made again on this side of the hop as the delivery layer makes it.
    const outcomes = await adapter.publish(decoded, { signal: AbortSignal.timeout(budgetMs), deadline: Date.now() + budgetMs });
    await adapter.close();
    return Response.json(outcomes);
  },
};`;

export async function startAdapterWorker(): Promise<Miniflare> {
  const script = await bundleForWorkerd({ source: WORKER });
  return new Miniflare({
    modules: true,
    script,
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
    async publish(messages, { deadline }) {
      const body = JSON.stringify({
        type,
        options,
        budgetMs: msUntil(deadline),
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
