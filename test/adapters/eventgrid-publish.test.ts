/**
 * How the Event Grid target publishes: batches under the service's limits,
 * the SDK only for batches it sends unchanged, the service's errors kept and
 * classified, and its options checked when the config loads.
 */
import { describe, expect, it } from "vitest";
import { createNodeEventGridAdapter as createEventGridAdapter } from "../../adapters/eventgrid/node/target.js";
import { portableRuntime } from "../../src/adapter/default-runtime.js";
import { ConfigError } from "../../src/config/config-error.js";
import { parseConfig } from "../../src/config/parse-config.js";
import { nodeTargets } from "../../src/entries/node/targets.js";
import { toJsonFormat } from "../../src/event/json-format.js";
import {
  jsonEvent,
  keyTarget,
  publishOptions,
  received,
  textEvent,
  viaSdk,
} from "../support/eventgrid-fixtures.js";
import { startFakeEventGrid } from "../support/fake-eventgrid.js";

describe("Event Grid publishing", () => {
  it("packs a large batch into several requests under 1 MB, never splitting an event", async () => {
    const fake = await startFakeEventGrid({ key: "k" });
    try {
      const adapter = keyTarget(fake);
      const events = Array.from({ length: 12 }, (_, i) => ({ event: textEvent(`big-${i}`, 200_000) }));
      const outcomes = await adapter.publish(events, publishOptions());
      expect(outcomes.every((o) => o.status === "acked")).toBe(true);
      expect(fake.requests.length).toBeGreaterThanOrEqual(3);
      expect(fake.requests.every((r) => r.body.length <= 1_048_576)).toBe(true);
      expect(received(fake).map((r) => r.event.attributes.id)).toEqual(
        events.map((e) => e.event.attributes.id),
      );
    } finally {
      await fake.close();
    }
  });

  it("refuses an event over 1 MB as terminal, naming the limit, and an http endpoint without allowInsecure", async () => {
    const fake = await startFakeEventGrid({ key: "k" });
    try {
      const runtime = { ...portableRuntime(), fetch: fake.fetch };
      const adapter = createEventGridAdapter(
        { endpoint: `${fake.url}/api/events`, key: "k", allowInsecure: true },
        runtime,
      );
      const [outcome] = await adapter.publish([{ event: textEvent("huge", 1_100_000) }], publishOptions());
      expect(outcome).toMatchObject({
        status: "terminal",
        targetStatus: 413,
        reason: expect.stringContaining("at most 1048574"),
      });
      const insecure = createEventGridAdapter({ endpoint: `${fake.url}/api/events`, key: "k" }, runtime);
      expect((await insecure.publish([{ event: textEvent("x") }], publishOptions()))[0]?.status).toBe(
        "terminal",
      );
      expect(fake.requests).toHaveLength(0);
    } finally {
      await fake.close();
    }
  });

  it.each([
    ["a topic", undefined, 5_000],
    ["a namespace", "orders", 1_000],
  ] as const)(
    "sends at most the service's event count per request to %s",
    async (_, namespaceTopic, limit) => {
      const fake = await startFakeEventGrid({ key: "k", ...(namespaceTopic && { namespaceTopic }) });
      try {
        const adapter = createEventGridAdapter(
          {
            api: "rest",
            endpoint: namespaceTopic ? fake.url : `${fake.url}/api/events`,
            key: "k",
            allowInsecure: true,
            ...(namespaceTopic && { namespaceTopic }),
          },
          { ...portableRuntime(), fetch: fake.fetch },
        );
        const events = Array.from({ length: limit + 1 }, (_, i) => ({ event: textEvent(`n-${i}`, 1) }));
        const outcomes = await adapter.publish(events, publishOptions());
        expect(outcomes.every((o) => o.status === "acked")).toBe(true);
        expect(fake.requests.map((r) => (JSON.parse(r.body) as unknown[]).length)).toEqual([limit, 1]);
      } finally {
        await fake.close();
      }
    },
  );

  it("sends a batch through @azure/eventgrid when it would arrive unchanged, and as REST otherwise", async () => {
    const key = Buffer.from("k").toString("base64");
    const fake = await startFakeEventGrid({ sasKey: key });
    try {
      const adapter = createEventGridAdapter(
        { endpoint: `${fake.url}/api/events`, allowInsecure: true, sasToken: { key } },
        { ...portableRuntime(), fetch: fake.fetch },
      );
      const sent = [
        jsonEvent("faithful", '{"a":1,"b":[true,null]}'),
        jsonEvent("array", "[1,2]"),
        jsonEvent("big-number", '{"n":12345678901234567890}'),
        jsonEvent("no-millis", '{"a":1}', "2026-11-30T12:00:00Z"),
      ];
      for (const e of sent)
        expect((await adapter.publish([{ event: e }], publishOptions()))[0]?.status).toBe("acked");
      expect(fake.requests.map(viaSdk)).toEqual([true, false, false, false]);
      const wire = sent.map((e) => new TextDecoder().decode(toJsonFormat(e)));
      // Through the SDK: the same JSON (its members in the SDK's order); as REST: the same bytes.
      expect(JSON.parse(fake.requests[0]?.body ?? "")).toEqual([JSON.parse(wire[0] ?? "")]);
      expect(fake.requests.slice(1).map((r) => r.body)).toEqual(wire.slice(1).map((w) => `[${w}]`));
    } finally {
      await fake.close();
    }
  });

  it.each(["rest", "sdk"] as const)("keeps the service's error and classifies it (%s)", async (api) => {
    const fake = await startFakeEventGrid({ key: "k" });
    try {
      const adapter = keyTarget(fake, api);
      // Through the SDK with api: sdk.
      const json = jsonEvent("e");
      const outcomes = [];
      fake.failNext(
        { status: 429, headers: { "retry-after": "7" } },
        { status: 503 },
        { status: 408 },
        { status: 400 },
        { status: 401 },
        { status: 403 },
        { status: 413 },
      );
      for (let i = 0; i < 7; i++)
        outcomes.push((await adapter.publish([{ event: json }], publishOptions()))[0]);
      expect(outcomes.map((o) => o?.status)).toEqual([
        "retriable",
        "retriable",
        "retriable",
        "terminal",
        "terminal",
        "terminal",
        "terminal",
      ]);
      expect(outcomes[0]).toMatchObject({
        retryAfterMs: 7_000,
        reason: expect.stringContaining('"code":"Status429"'),
      });
      expect(outcomes[4]).toMatchObject({
        targetStatus: 401,
        reason: expect.stringContaining('"code":"Status401"'),
      });
    } finally {
      await fake.close();
    }
  });

  it.each(["rest", "sdk"] as const)("acks any 2xx, not only 200 (%s)", async (api) => {
    const fake = await startFakeEventGrid({ key: "k" });
    try {
      const adapter = keyTarget(fake, api);
      fake.failNext({ status: 202 }, { status: 204 });
      for (const status of [202, 204]) {
        const [outcome] = await adapter.publish([{ event: jsonEvent(`e-${status}`) }], publishOptions());
        expect(outcome).toMatchObject({ status: "acked", receipt: { status } });
      }
    } finally {
      await fake.close();
    }
  });

  it.each(["rest", "sdk"] as const)(
    "answers retriable for an attempt already over, sending nothing and leaving no failure unhandled (%s)",
    async (api) => {
      const fake = await startFakeEventGrid({ key: "k" });
      try {
        const adapter = keyTarget(fake, api);
        const events = [jsonEvent("a"), textEvent("b", 1_000_000)].map((event) => ({ event }));
        const outcomes = await adapter.publish(events, {
          signal: AbortSignal.abort(new Error("the producer went away")),
          deadline: Date.now() + 10_000,
        });
        expect(outcomes.map((o) => o.status)).toEqual(["retriable", "retriable"]);
        expect(fake.requests).toHaveLength(0);
        await new Promise((resolve) => setTimeout(resolve, 20)); // an unhandled rejection would fail the run
      } finally {
        await fake.close();
      }
    },
  );

  it("checks its options when the config is loaded", () => {
    const config = (target: string) =>
      `version: 1\ntargets:\n  grid: ${target}\nroutes:\n  - name: all\n    to: [grid]\n`;
    const refused = (target: string) => {
      try {
        parseConfig(config(target), { catalog: nodeTargets });
      } catch (error) {
        if (error instanceof ConfigError) return error.issues.map((i) => `${i.path} ${i.message}`).join("; ");
        throw error;
      }
      return "accepted";
    };
    expect(refused('{ type: eventgrid, endpoint: "https://t.example/api/events", key: k }')).toBe("accepted");
    expect(
      refused(
        '{ type: eventgrid, endpoint: "https://t.example/api/events", sasToken: { key: azE=, ttlSeconds: 900 } }',
      ),
    ).toBe("accepted");
    expect(refused('{ type: eventgrid, endpoint: "http://127.0.0.1:1/api/events", key: k }')).toMatch(
      /allowInsecure/,
    );
    expect(refused('{ type: eventgrid, endpoint: "https://t.example", key: k, sasToken: s }')).not.toBe(
      "accepted",
    );
    expect(
      refused('{ type: eventgrid, endpoint: "https://ns.example", namespaceTopic: orders, sasToken: s }'),
    ).not.toBe("accepted");
    expect(
      refused(
        '{ type: eventgrid, endpoint: "https://t.example/api/events", sasToken: { key: "not base64!" } }',
      ),
    ).toMatch(/sasToken/);
    expect(
      refused('{ type: eventgrid, endpoint: "https://t.example/api/events", sasToken: { key: abcde } }'),
    ).toMatch(/sasToken/);
    expect(refused('{ type: eventgrid, endpoint: "HTTP://127.0.0.1:1/api/events", key: k }')).toMatch(
      /allowInsecure/,
    );
  });

  it("refuses to send over an http:// endpoint in any letter case without allowInsecure", async () => {
    const fake = await startFakeEventGrid({ key: "k" });
    try {
      const adapter = createEventGridAdapter(
        { endpoint: `${fake.url.replace("http", "HTTP")}/api/events`, key: "k" },
        { ...portableRuntime(), fetch: fake.fetch },
      );
      expect(await adapter.ready()).toBe(false);
      expect((await adapter.publish([{ event: jsonEvent("e") }], publishOptions()))[0]?.status).toBe(
        "terminal",
      );
      expect(fake.requests).toHaveLength(0);
    } finally {
      await fake.close();
    }
  });
});
