/**
 * `ack: async` through the whole gateway: 202 once the event is in the
 * outbox (marked queued), then the dispatcher delivers it, retrying while
 * the target is down; /status shows what waits per target.
 */
import { describe, expect, it } from "vitest";
import { acked, type PublishOutcome, retriable } from "../../src/adapter/adapter.js";
import { MemoryOutboxStore } from "../../src/deliver/outbox/memory-outbox-store.js";
import { OutboxFullError } from "../../src/deliver/outbox/outbox-store.js";
import { binaryHeaders, testGateway } from "../support/gateway.js";
import { scriptedAdapter } from "../support/scripted-adapter.js";

function asyncGateway(outbox = new MemoryOutboxStore()) {
  const state = { outcome: retriable("down") as PublishOutcome };
  const flaky = scriptedAdapter(() => state.outcome);
  const gw = testGateway(
    {
      delivery: { outbox: { type: "log", dir: "unused" } },
      routes: [
        { name: "queued", to: ["flaky"], ack: "async", filters: [{ exact: { type: "queued" } }] },
        { name: "direct", to: ["memory"], filters: [{ exact: { type: "direct" } }] },
      ],
      targets: {
        flaky: { type: "scripted", retry: { maxAttempts: 100, initialDelayMs: 10, maxDelayMs: 20 } },
      },
    },
    { flaky },
    { outbox },
  );
  return { gw, flaky, state, outbox };
}

const send = (gw: ReturnType<typeof testGateway>, id: string, type: string, key?: string) =>
  gw.post({
    headers: binaryHeaders({ "ce-id": id, "ce-type": type, ...(key && { "ce-partitionkey": key }) }),
    body: null,
  });

describe("ack: async", () => {
  it("answers 202 queued while the target is down, and delivers once it is back, in order per key", async () => {
    const { gw, flaky, state } = asyncGateway();
    for (const id of ["a1", "a2", "a3"]) {
      const response = await send(gw, id, "queued", "k");
      expect(response.status).toBe(202);
      expect(((await response.json()) as { events: { queued?: true }[] }).events[0]?.queued).toBe(true);
    }
    await expect.poll(() => flaky.calls.length).toBeGreaterThan(1);
    const status = (await (await gw.gateway.request("/status")).json()) as {
      targets: Record<string, { outbox?: { depth: number; oldestAgeMs: number | null } }>;
    };
    expect(status.targets.flaky?.outbox?.depth).toBe(3);
    expect(status.targets.flaky?.outbox?.oldestAgeMs).toBeGreaterThanOrEqual(0);

    state.outcome = acked();
    await expect
      .poll(() => flaky.calls.filter((c) => c.messages.length > 0).length, { timeout: 5_000 })
      .toBeGreaterThan(3);
    await expect.poll(() => gw.gateway.outbox?.stats().get("flaky")?.depth ?? 0, { timeout: 5_000 }).toBe(0);
    const firsts = new Map<string, number>();
    flaky.calls.forEach((call, i) => {
      for (const m of call.messages)
        if (!firsts.has(m.event.attributes.id)) firsts.set(m.event.attributes.id, i);
    });
    // Per key, a later event is not tried before the one ahead of it was delivered.
    const deliveredOrder = flaky.calls.slice(-3).flatMap((c) => c.messages.map((m) => m.event.attributes.id));
    expect(deliveredOrder).toEqual(["a1", "a2", "a3"]);
    await gw.gateway.close();
  });

  it("keeps sync routes synchronous beside async ones", async () => {
    const { gw } = asyncGateway();
    expect((await send(gw, "d1", "direct")).status).toBe(202);
    expect(gw.received().map((e) => e.attributes.id)).toEqual(["d1"]);
    await gw.gateway.close();
  });

  it("answers 503 with Retry-After when the outbox is full, and stores nothing", async () => {
    const full = new MemoryOutboxStore({ maxRecords: 1 });
    const { gw } = asyncGateway(full);
    expect((await send(gw, "f1", "queued")).status).toBe(202);
    const refused = await send(gw, "f2", "queued");
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(full.stats().get("flaky")?.depth).toBe(1);
    expect(OutboxFullError).toBeDefined();
    await gw.gateway.close();
  });

  it("refuses ack: async without an outbox to keep events in", () => {
    expect(() => testGateway({ routes: [{ name: "q", to: ["memory"], ack: "async" }] })).toThrow(
      /ack: async needs an outbox/,
    );
  });

  it("accepts a source's events asynchronously by default once an outbox is set, and synchronously when it says so", async () => {
    const state = { outcome: retriable("down") as PublishOutcome };
    const flaky = scriptedAdapter(() => state.outcome);
    const source = (path: string, ack?: "sync" | "async") => ({
      path,
      type: "json",
      ...(ack && { ack }),
      event: { type: "'hook'", source: "'/hooks'", id: "body.id" },
    });
    const gw = testGateway(
      {
        delivery: { outbox: { type: "log", dir: "unused" } },
        ingest: { sources: [source("/hooks/default"), source("/hooks/sync", "sync")] },
        routes: [{ name: "all", to: ["flaky"] }],
        targets: { flaky: { type: "scripted" } },
      },
      { flaky },
      { outbox: new MemoryOutboxStore() },
    );
    const post = (path: string, id: string) =>
      gw.gateway.request(path, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ id }),
      });
    const queued = await post("/hooks/default", "h1");
    expect(queued.status).toBe(202);
    expect(((await queued.json()) as { events: { queued?: true }[] }).events[0]?.queued).toBe(true);
    expect((await post("/hooks/sync", "h2")).status).toBe(503);
    expect((await send(gw, "e1", "any")).status).toBe(503);
    await gw.gateway.close();
  });
});
