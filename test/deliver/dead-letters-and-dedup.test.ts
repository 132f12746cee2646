/**
 * Dead letters, their replay, and dedup by source + id, through the whole
 * gateway: real HTTP requests into the app; memory targets (which read back)
 * and targets whose answers the test scripts.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createMemoryAdapter } from "../../adapters/memory/index.js";
import { acked, type PublishOutcome, retriable, terminal } from "../../src/adapter/adapter.js";
import { configWarnings } from "../../src/config/config-warnings.js";
import type { GatewayConfig } from "../../src/config/gateway-config.js";
import { nodeTargets } from "../../src/entries/node/targets.js";
import { createAdminApp } from "../../src/http/admin-app.js";
import { binaryHeaders, problemOf, testGateway } from "../support/gateway.js";
import { scriptedAdapter } from "../support/scripted-adapter.js";

/** Decides each call's outcome from a variable the test changes. */
function switchable(initial: PublishOutcome) {
  const state = { outcome: initial };
  return { state, adapter: scriptedAdapter(() => state.outcome) };
}

function deadLetterGateway(
  flaky: ReturnType<typeof scriptedAdapter>,
  dl = createMemoryAdapter(),
  extra: GatewayConfig = {},
) {
  const gw = testGateway(
    {
      routes: [{ name: "all", to: ["memory", "flaky"], deadLetter: "dl" }],
      targets: { flaky: { type: "scripted" }, dl: { type: "memory" } },
      ...extra,
    },
    { flaky, dl },
  );
  return { ...gw, dl };
}

const send = (gw: ReturnType<typeof testGateway>, id = "e1") =>
  gw.post({ headers: binaryHeaders({ "ce-id": id, "ce-traceid": "t-1" }), body: '{"n":1}' });

describe("dead letters", () => {
  it("takes what a target refuses for good: 202 listing the dead letter, the event kept with its error context", async () => {
    const { adapter: flaky } = switchable(terminal("The target said no: field x is missing", 400));
    const gw = deadLetterGateway(flaky);
    const response = await send(gw);
    expect(response.status).toBe(202);
    const body = (await response.json()) as { events: { deadLettered?: unknown[] }[] };
    expect(body.events[0]?.deadLettered).toEqual([
      { target: "flaky", deadLetter: "dl", reason: "The target said no: field x is missing" },
    ]);
    expect(gw.received()).toHaveLength(1);
    const [letter] = gw.dl.events();
    const ext = Object.fromEntries(letter?.event.extensions ?? []);
    expect(letter?.event.attributes.id).toBe("e1");
    expect(letter?.event.data?.text()).toBe('{"n":1}');
    expect(ext).toMatchObject({
      traceid: "t-1",
      deadlettertarget: "flaky",
      deadletterattempts: 1,
      deadletterstatus: "400",
      deadlettererror: "The target said no: field x is missing",
    });
    expect(Date.parse(ext.deadletterfirsttime as string)).toBeLessThanOrEqual(
      Date.parse(ext.deadletterlasttime as string),
    );
  });

  it("cuts a long error text to 1024 characters", async () => {
    const { adapter: flaky } = switchable(terminal("x".repeat(5_000), 400));
    const gw = deadLetterGateway(flaky);
    expect((await send(gw)).status).toBe(202);
    expect(String(gw.dl.events()[0]?.event.extensions.get("deadlettererror")).length).toBe(1024);
  });

  it("fails the request as if there were no dead letter when the dead letter fails: 503, or 502 when it refuses", async () => {
    const { adapter: flaky } = switchable(terminal("no", 400));
    const down = switchable(retriable("dead letter down", 2_000));
    const gw = deadLetterGateway(flaky, undefined, {});
    const unavailable = testGateway(
      {
        routes: [{ name: "all", to: ["flaky"], deadLetter: "dl" }],
        targets: { flaky: { type: "scripted" }, dl: { type: "scripted" } },
      },
      { flaky, dl: down.adapter },
    );
    const response = await send(unavailable);
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("2");
    expect((await problemOf(response)).errors?.[0]?.detail).toMatch(/dead letter "dl" did not take it/);
    down.state.outcome = terminal("dead letter refuses too", 403);
    expect((await send(unavailable)).status).toBe(502);
    expect((await send(gw)).status).toBe(202);
  });

  it("keeps a refusal a route without a dead letter asked to see: 502 when another matched route has none", async () => {
    const { adapter: flaky } = switchable(terminal("no", 400));
    const gw = testGateway(
      {
        routes: [
          { name: "with", to: ["flaky"], deadLetter: "dl" },
          { name: "without", to: ["flaky"] },
        ],
        targets: { flaky: { type: "scripted" }, dl: { type: "memory" } },
      },
      { flaky, dl: createMemoryAdapter() },
    );
    expect((await send(gw)).status).toBe(502);
  });

  it("replays through the admin listener once the target accepts: delivered once, without the context, and removed", async () => {
    const flaky = switchable(terminal("no", 400));
    const gw = deadLetterGateway(flaky.adapter);
    await send(gw, "a");
    await send(gw, "b");
    expect(gw.dl.events()).toHaveLength(2);
    const token = "replay-token-0123456789";
    const admin = createAdminApp({
      gateway: gw.gateway,
      credentials: { tokens: [{ id: "ops", sha256: createHash("sha256").update(token).digest("hex") }] },
    });
    const replay = (target: string, query = "") =>
      admin.request(`/deadletters/${target}/replay${query}`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
      });

    // Still refused: a new dead letter would be a repeat, so the old one is kept.
    const kept = (await (await replay("dl")).json()) as Record<string, unknown>;
    expect(kept).toMatchObject({ from: "dl", listed: 2, delivered: 0, kept: 0, deadLetteredAgain: 2 });

    flaky.state.outcome = acked();
    const before = flaky.adapter.calls.length;
    const report = (await (await replay("dl", "?limit=10")).json()) as Record<string, unknown>;
    expect(report).toMatchObject({ from: "dl", listed: 2, delivered: 2, kept: 0 });
    const replayed = flaky.adapter.calls.slice(before).flatMap((c) => c.messages.map((m) => m.event));
    expect(replayed.map((e) => e.attributes.id).sort()).toEqual(["a", "b"]);
    for (const event of replayed) {
      expect([...event.extensions.keys()].filter((k) => k.startsWith("deadletter"))).toEqual([]);
      expect(event.extensions.get("traceid")).toBe("t-1");
    }
    expect(gw.dl.events()).toHaveLength(0);
    // The memory target had them already: replay goes only to the target that refused.
    expect(gw.received()).toHaveLength(2);

    const refused = await replay("flaky");
    expect(refused.status).toBe(409);
    expect((await problemOf(refused)).code).toBe("not-replayable");
    expect((await replay("nope")).status).toBe(404);
    expect((await replay("dl", "?limit=0")).status).toBe(400);
  });

  it("config check refuses an unknown dead letter and warns of one replay cannot read back", async () => {
    expect(() => testGateway({ routes: [{ name: "all", to: ["memory"], deadLetter: "missing" }] })).toThrow(
      /routes\[0\]\.deadLetter: unknown target "missing"/,
    );
    const config: GatewayConfig = {
      targets: { hook: { type: "http", url: "http://127.0.0.1:9/x" }, stream: { type: "memory" } },
      routes: [
        { name: "a", to: ["stream"], deadLetter: "hook" },
        { name: "b", to: ["hook"], deadLetter: "stream" },
      ],
    };
    const warnings = configWarnings(config, nodeTargets);
    expect(warnings.map((w) => w.path)).toEqual(["routes[0].deadLetter"]);
    expect(warnings[0]?.message).toMatch(/deadletter replay` refuses it/);
  });
});

describe("dedup by source + id", () => {
  const dedup: GatewayConfig = { delivery: { dedup: { windowMs: 60_000 } } };

  it("sends a repeat after a partial failure only where it did not arrive, then answers duplicates without delivering", async () => {
    const flaky = switchable(retriable("down"));
    const gw = testGateway(
      {
        ...dedup,
        routes: [{ name: "all", to: ["memory", "flaky"] }],
        targets: { flaky: { type: "scripted" } },
      },
      { flaky: flaky.adapter },
    );
    expect((await send(gw)).status).toBe(503);
    expect(gw.received()).toHaveLength(1);

    flaky.state.outcome = acked();
    const second = await send(gw);
    expect(second.status).toBe(202);
    expect(
      ((await second.json()) as { events: { duplicate?: true }[] }).events[0]?.duplicate,
    ).toBeUndefined();
    expect(gw.received()).toHaveLength(1);
    expect(flaky.adapter.calls).toHaveLength(2);

    const third = await send(gw);
    expect(third.status).toBe(202);
    expect(((await third.json()) as { events: { duplicate?: true }[] }).events[0]?.duplicate).toBe(true);
    expect(gw.received()).toHaveLength(1);
    expect(flaky.adapter.calls).toHaveLength(2);

    // Another id is another event.
    expect((await send(gw, "e2")).status).toBe(202);
    expect(gw.received()).toHaveLength(2);
  });

  it("counts a dead-lettered refusal as handled: the repeat is a duplicate", async () => {
    const { adapter: flaky } = switchable(terminal("no", 400));
    const gw = deadLetterGateway(flaky, undefined, dedup);
    expect((await send(gw)).status).toBe(202);
    const again = await send(gw);
    expect(((await again.json()) as { events: { duplicate?: true }[] }).events[0]?.duplicate).toBe(true);
    expect(gw.dl.events()).toHaveLength(1);
    expect(flaky.calls).toHaveLength(1);
  });

  it("delivers in full when the store cannot be read (at-least-once)", async () => {
    const broken = {
      lookup: async () => Promise.reject(new Error("store down")),
      record: async () => {},
      close: async () => {},
    };
    const gw = testGateway({ ...dedup }, {}, { dedupStores: () => broken });
    expect((await send(gw)).status).toBe(202);
    expect((await send(gw)).status).toBe(202);
    expect(gw.received()).toHaveLength(2);
  });
});
