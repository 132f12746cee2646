/**
 * The Worker the NATS Durable Object tests run in workerd. Each request names
 * the target's options; the NATS adapter for them is made once per isolate
 * (as a gateway's would be) and publishes through NatsConnectionObject.
 * `/publish-per-request` instead connects, publishes and closes within the
 * request, over the same socket transport, for comparison.
 */
import { createNatsAdapter } from "../../adapters/nats/index.js";
import type { NatsOptions } from "../../adapters/nats/options.js";
import { connectWorkers } from "../../adapters/nats/workers/connect.js";
import type { Adapter } from "../../src/adapter/adapter.js";
import { portableRuntime } from "../../src/adapter/default-runtime.js";
import { decodeHttpRequest } from "../../src/bindings/http/decode.js";
import {
  createNatsViaDurableObject,
  type NatsConnectionNamespace,
} from "../../src/entries/workers/nats-via-durable-object.js";
import { normalizeEvents } from "../../src/normalize/normalize-event.js";

export { NatsConnectionObject } from "../../src/entries/workers/nats-connection-object.js";

interface Env {
  readonly NATS: NatsConnectionNamespace;
}

interface Body {
  readonly options: NatsOptions;
  readonly messages?: readonly { event: string; address?: string }[];
  readonly budgetMs?: number;
}

const adapters = new Map<string, Adapter>();

function adapterFor(options: NatsOptions, env: Env): Adapter {
  const key = JSON.stringify(options);
  let adapter = adapters.get(key);
  if (adapter === undefined) {
    adapter = createNatsViaDurableObject(options, env.NATS);
    adapters.set(key, adapter);
  }
  return adapter;
}

const describe = (adapter: Adapter) => ({
  capabilities: { ...adapter.capabilities },
  // JSON has no Infinity.
  maxEventBytes: Number.isFinite(adapter.capabilities.maxEventBytes)
    ? adapter.capabilities.maxEventBytes
    : null,
});

function decode(messages: Body["messages"]) {
  return (messages ?? []).map((m) => {
    const body = new TextEncoder().encode(m.event);
    const headers = new Headers({ "content-type": "application/cloudevents+json" });
    const [event] = normalizeEvents(decodeHttpRequest(headers, body).events);
    if (event === undefined) throw new Error("no event");
    return m.address === undefined ? { event } : { event, address: m.address };
  });
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const path = new URL(request.url).pathname;
    const body = (await request.json()) as Body;
    const attempt = () => {
      const budget = body.budgetMs ?? 10_000;
      return { signal: AbortSignal.timeout(budget), deadline: Date.now() + budget };
    };
    let adapter: Adapter;
    try {
      adapter = adapterFor(body.options, env);
    } catch (error) {
      return Response.json({ refused: (error as Error).message }, { status: 400 });
    }
    switch (path) {
      case "/describe":
        return Response.json(describe(adapter));
      case "/ready":
        return Response.json({ ready: await adapter.ready(), ...describe(adapter) });
      case "/close":
        await adapter.close();
        return Response.json({ closed: true });
      case "/publish": {
        const outcomes = await adapter.publish(decode(body.messages), attempt());
        return Response.json({ outcomes, ...describe(adapter) });
      }
      case "/publish-per-request": {
        const own = createNatsAdapter(body.options, portableRuntime(), connectWorkers);
        try {
          const outcomes = await own.publish(decode(body.messages), attempt());
          return Response.json({ outcomes });
        } finally {
          await own.close();
        }
      }
      default:
        return new Response("not found", { status: 404 });
    }
  },
};
