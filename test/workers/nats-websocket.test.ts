/**
 * NATS from inside workerd: JetStream publishes over WebSocket (`wsconnect`)
 * with a connection per request, as a Worker must (workerd does not let one
 * request use a socket another request opened). Measures the cost per
 * request against a connection kept open in Node.
 */
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type NatsServer, startNatsServer } from "../support/nats-server.js";
import { bundleForWorkerd } from "../support/workerd-bundle.js";

const WORKER = `
import { wsconnect, headers } from "@nats-io/nats-core";
import { jetstream } from "@nats-io/jetstream";
export default {
  async fetch(request, env) {
    const started = Date.now();
    const nc = await wsconnect({ servers: env.NATS_WS });
    const connected = Date.now();
    try {
      const h = headers();
      h.set("ce-id", new URL(request.url).searchParams.get("id"));
      const ack = await jetstream(nc).publish("spike.event", new TextEncoder().encode("{}"), { headers: h, msgID: h.get("ce-id") });
      return Response.json({ seq: ack.seq, duplicate: ack.duplicate, connectMs: connected - started, totalMs: Date.now() - started });
    } finally {
      await nc.close();
    }
  },
};`;

let server: NatsServer;
let mf: Miniflare;

beforeAll(async () => {
  server = await startNatsServer();
  const nc = await connect({ servers: server.url });
  await (await jetstreamManager(nc)).streams.add({ name: "SPIKE", subjects: ["spike.>"] });
  await nc.close();
  const script = await bundleForWorkerd({ source: WORKER });
  mf = new Miniflare({
    modules: true,
    script,
    compatibilityDate: "2025-09-01",
    bindings: { NATS_WS: server.websocketUrl },
  });
}, 60_000);

afterAll(async () => {
  await mf?.dispose();
  await server?.dispose();
});

describe("JetStream over WebSocket from workerd", () => {
  it("publishes with a connection per request, and the stream drops a repeated id", async () => {
    const results: { seq: number; duplicate: boolean; connectMs: number; totalMs: number }[] = [];
    for (let i = 0; i < 20; i++) {
      const response = await mf.dispatchFetch(`http://worker/?id=spike-${i}`);
      expect(response.status).toBe(200);
      results.push((await response.json()) as (typeof results)[number]);
    }
    expect(results.map((r) => r.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const again = await (await mf.dispatchFetch("http://worker/?id=spike-0")).json();
    expect(again).toMatchObject({ seq: 1, duplicate: true });

    // The cost of a connection per request, beside publishing on a connection kept open.
    const nc = await connect({ servers: server.url });
    const js = jetstream(nc);
    const kept: number[] = [];
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      await js.publish("spike.event", new Uint8Array(2), { msgID: `kept-${i}` });
      kept.push(performance.now() - started);
    }
    await nc.close();
    const median = (values: number[]) =>
      [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
    console.log(
      `workerd, connection per request: median ${median(results.map((r) => r.totalMs))} ms per publish ` +
        `(connect ${median(results.map((r) => r.connectMs))} ms); Node, kept connection: median ${median(kept).toFixed(2)} ms`,
    );
  });
});
