/**
 * What the gateway logs at each level, through a real pino logger: per-event
 * lines only at debug; at info one line per rejected request; at warn one
 * line per failed delivery (and a 502/503 is logged as that, not as a rejection).
 */
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { acked, retriable, terminal } from "../../src/adapter/adapter.js";
import { createGateway } from "../../src/entries/node/create-gateway.js";
import { logObserver } from "../../src/observe/log-observer.js";
import { BATCH, binaryHeaders, structuredEvent } from "../support/gateway.js";
import { type ScriptedAdapter, scriptedAdapter } from "../support/scripted-adapter.js";

interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

const INFO = 30;
const WARN = 40;

/** A gateway whose events all go to `broker`, logging through pino into `lines`. */
function loggedGateway(broker: ScriptedAdapter, level = "info") {
  const raw: string[] = [];
  const logger = pino({ base: undefined, level }, { write: (line: string) => raw.push(line) });
  const gateway = createGateway(
    { routes: [{ name: "all", to: ["broker"] }] },
    { targets: { broker }, observer: logObserver(logger) },
  );
  const post = (headers: Record<string, string>, body?: string) =>
    gateway.request("/events", { method: "POST", headers, ...(body === undefined ? {} : { body }) });
  const lines = () => raw.map((line) => JSON.parse(line) as LogLine);
  return { post, lines, raw };
}

const batchOf = (count: number) =>
  JSON.stringify(Array.from({ length: count }, (_, i) => structuredEvent({ id: `e-${i}` })));

describe("log levels", () => {
  it("writes no info line for delivered events", async () => {
    const { post, lines } = loggedGateway(scriptedAdapter(() => acked()));
    for (let i = 0; i < 20; i++) {
      expect((await post(binaryHeaders({ "ce-id": `single-${i}` }))).status).toBe(202);
    }
    expect((await post(BATCH, batchOf(500))).status).toBe(202);
    expect(lines()).toEqual([]);
  });

  it("writes each stage of a delivered event at debug", async () => {
    const { post, lines } = loggedGateway(
      scriptedAdapter(() => acked()),
      "debug",
    );
    expect((await post(binaryHeaders())).status).toBe(202);
    expect(lines().map((l) => [l.level, l.msg])).toEqual([
      [20, "received"],
      [20, "routed"],
      [20, "delivered"],
    ]);
  });

  it("writes exactly one info line for a rejected request, with status, problem type and request id", async () => {
    const { post, lines } = loggedGateway(scriptedAdapter(() => acked()));
    const response = await post(binaryHeaders({ "ce-id": "", "x-request-id": "req-bad-1" }));
    expect(response.status).toBe(400);
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toMatchObject({
      level: INFO,
      requestId: "req-bad-1",
      status: 400,
      type: "urn:ce-gateway:problem:invalid-event",
    });
  });

  it("writes one info line for a batch over server.maxBatchEvents", async () => {
    const raw: string[] = [];
    const gateway = createGateway(
      { server: { maxBatchEvents: 3 }, routes: [{ name: "all", to: ["broker"] }] },
      {
        targets: { broker: scriptedAdapter(() => acked()) },
        observer: logObserver(pino({ base: undefined }, { write: (line: string) => raw.push(line) })),
      },
    );
    const response = await gateway.request("/events", { method: "POST", headers: BATCH, body: batchOf(4) });
    expect(response.status).toBe(413);
    expect(raw).toHaveLength(1);
    expect(JSON.parse(raw[0] as string)).toMatchObject({
      level: INFO,
      status: 413,
      type: "urn:ce-gateway:problem:too-many-events",
    });
  });

  it("writes one warn line for a failed delivery (target, outcome, status) and no rejection line: 503", async () => {
    const { post, lines } = loggedGateway(scriptedAdapter(() => retriable("broker down")));
    const response = await post(binaryHeaders({ "x-request-id": "req-503" }));
    expect(response.status).toBe(503);
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toMatchObject({
      level: WARN,
      msg: "delivery failed",
      requestId: "req-503",
      target: "broker",
      outcome: "retriable",
      status: 503,
      type: "urn:ce-gateway:problem:target-unavailable",
      id: "evt-1",
      reason: "broker down",
    });
  });

  it("logs a 502 as a delivery failure per failed pair, with the target's own status", async () => {
    const { post, lines } = loggedGateway(
      scriptedAdapter((m) => (m.event.attributes.id === "e-1" ? terminal("refused", 400) : acked())),
    );
    const response = await post(BATCH, batchOf(3));
    expect(response.status).toBe(502);
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toMatchObject({
      level: WARN,
      msg: "delivery failed",
      target: "broker",
      outcome: "terminal",
      targetStatus: 400,
      status: 502,
      id: "e-1",
    });
    expect(lines().some((l) => String(l.msg).startsWith("rejected"))).toBe(false);
  });

  it("logs at most 100 failed deliveries of one request one by one, then counts the rest in one line", async () => {
    const { post, lines } = loggedGateway(scriptedAdapter(() => retriable("down")));
    expect((await post(BATCH, batchOf(250))).status).toBe(503);
    expect(lines()).toHaveLength(101);
    expect(lines().at(-1)).toMatchObject({ level: WARN, more: 150, status: 503 });
  });
});
