/**
 * No client-chosen value reaches a log line whole, and no line is longer than
 * 16 KiB, whatever the report holds: checked on lines a real pino writes.
 */
import fc from "fast-check";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { acked, retriable } from "../../src/adapter/adapter.js";
import { createGateway } from "../../src/entries/node/create-gateway.js";
import { boundForLog, MAX_LOG_LINE_BYTES, truncateForLog } from "../../src/observe/log-bounds.js";
import { logObserver } from "../../src/observe/log-observer.js";
import { STRUCTURED, structuredEvent } from "../support/gateway.js";
import { scriptedAdapter } from "../support/scripted-adapter.js";

const bytes = (line: string) => new TextEncoder().encode(line).length;

function capture(level = "info") {
  const lines: string[] = [];
  const logger = pino({ base: undefined, level }, { write: (line: string) => lines.push(line) });
  return { logger, lines };
}

const MIB_ID = "i".repeat(1_000_000);

describe("bounded log lines", () => {
  it("does not echo a 1 MB id whole when its delivery fails", async () => {
    const { logger, lines } = capture();
    const gateway = createGateway(
      { routes: [{ name: "all", to: ["broker"] }] },
      { targets: { broker: scriptedAdapter(() => retriable("down")) }, observer: logObserver(logger) },
    );
    const response = await gateway.request("/events", {
      method: "POST",
      headers: STRUCTURED,
      body: JSON.stringify(structuredEvent({ id: MIB_ID })),
    });
    expect(response.status).toBe(503);
    expect(lines).toHaveLength(1);
    const line = lines[0] as string;
    expect(bytes(line)).toBeLessThanOrEqual(MAX_LOG_LINE_BYTES);
    const { id } = JSON.parse(line) as { id: string };
    expect(id.startsWith("iiii")).toBe(true);
    expect(id).toMatch(/…\(\+\d+ chars\)$/);
    expect(id.length).toBeLessThan(300);
  });

  it("keeps every debug line of a 1 MB id and a long request id under 16 KiB", async () => {
    const { logger, lines } = capture("debug");
    const gateway = createGateway(
      { routes: [{ name: "all", to: ["broker"] }] },
      { targets: { broker: scriptedAdapter(() => acked()) }, observer: logObserver(logger) },
    );
    const response = await gateway.request("/events", {
      method: "POST",
      headers: { ...STRUCTURED, "x-request-id": "r".repeat(12_000) },
      body: JSON.stringify(structuredEvent({ id: MIB_ID, source: "/".repeat(20_000) })),
    });
    expect(response.status).toBe(202);
    expect(lines.length).toBe(3);
    for (const line of lines) {
      expect(bytes(line)).toBeLessThanOrEqual(MAX_LOG_LINE_BYTES);
      expect(line).not.toContain("i".repeat(1000));
    }
  });

  it("keeps a rejection of 100 long member names under 16 KiB", async () => {
    const { logger, lines } = capture();
    const gateway = createGateway({}, { observer: logObserver(logger) });
    const members = Array.from({ length: 100 }, (_, i) => `"${"X".repeat(9000)}${i}":1`).join(",");
    const response = await gateway.request("/events", {
      method: "POST",
      headers: STRUCTURED,
      body: `{"specversion":"1.0","id":"1","source":"/s","type":"t",${members}}`,
    });
    expect(response.status).toBe(400);
    expect(lines).toHaveLength(1);
    expect(bytes(lines[0] as string)).toBeLessThanOrEqual(MAX_LOG_LINE_BYTES);
    const { errors } = JSON.parse(lines[0] as string) as { errors: unknown[] };
    expect(errors.length).toBeLessThanOrEqual(11);
    expect(errors.at(-1)).toMatch(/^…\(\+\d+ more\)$/);
  });

  it("keeps members whose long names share a prefix apart, and a member named __proto__ a member", () => {
    const [fields] = boundForLog(
      { [`${"n".repeat(100)}1`]: 1, [`${"n".repeat(100)}2`]: 2, ["__proto__"]: 3 },
      "m",
    );
    expect(Object.values(fields)).toEqual([1, 2, 3]);
    expect(JSON.parse(JSON.stringify(fields))).toHaveProperty("__proto__", 3);
  });

  it("cuts a string without splitting a surrogate pair, saying how much was left out", () => {
    expect(truncateForLog("abc", 5)).toBe("abc");
    expect(truncateForLog("abcdefgh", 5)).toBe("abcde…(+3 chars)");
    expect(truncateForLog("abcd😀xyz", 5)).toBe("abcd…(+5 chars)");
  });

  it("keeps any report fields under 16 KiB once pino writes them", () => {
    const hostileString = fc.oneof(
      fc.string({ unit: "binary", maxLength: 3000 }),
      fc.constantFrom("\u0001".repeat(5000), "\ud800".repeat(5000), "€".repeat(5000), '"\\'.repeat(5000)),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: "small" },
        hostileString,
        fc.integer(),
        fc.array(tie("node"), { maxLength: 60 }),
        fc.dictionary(hostileString, tie("node"), { maxKeys: 60 }),
      ),
    })).node;
    const { logger, lines } = capture("debug");
    fc.assert(
      fc.property(fc.dictionary(hostileString, value, { maxKeys: 80 }), hostileString, (fields, message) => {
        lines.length = 0;
        logger.warn(...boundForLog(fields, message));
        expect(bytes(lines[0] as string)).toBeLessThanOrEqual(MAX_LOG_LINE_BYTES);
      }),
      { numRuns: 300 },
    );
  });

  it("keeps the worst single line under 16 KiB: every member and value at its longest, all escaped", () => {
    const wide = "\u0001".repeat(10_000);
    // One subtree shared by every member of a level: 40 members deep, six levels, built in 240 steps.
    let deep: unknown = wide;
    for (let level = 0; level < 6; level++) {
      const child = deep;
      deep = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`${i}${wide}`, child]));
    }
    const { logger, lines } = capture();
    logger.warn(...boundForLog({ a: deep, b: Array.from({ length: 1000 }, () => deep) }, wide));
    expect(bytes(lines[0] as string)).toBeLessThanOrEqual(MAX_LOG_LINE_BYTES);
    expect(bytes(lines[0] as string)).toBeGreaterThan(8 * 1024);
  });
});
