/**
 * `ce-gateway send` against a real `ce-gateway serve` (the embedded default:
 * every valid event on its stdout), in each HTTP content mode.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, type RunningCli, runCli, startCli } from "../support/cli-process.js";

let gateway: RunningCli;
beforeAll(async () => {
  gateway = await startCli(["serve", "--port", String(await freePort())]);
}, 30_000);
afterAll(() => gateway?.stop());

async function send(args: string[]) {
  const run = runCli(["send", `${gateway.url}/events`, ...args]);
  const code = await run.exited;
  return { code, ...run.output() };
}

/** The events the gateway printed whose type is `type`. */
function delivered(type: string): Record<string, unknown>[] {
  return gateway
    .stdout()
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((event) => event.type === type);
}

describe("ce-gateway send", () => {
  it("binary mode: one event, data from a file, extra headers; prints the answer", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "ce-send-")), "data.json");
    writeFileSync(file, '{"orderId": 7, "total": 25.50}');
    const result = await send([
      "--type",
      "send.binary",
      "--source",
      "/shop/eu",
      "--id",
      'fixed "1" €',
      "--data",
      `@${file}`,
      "--header",
      "x-request-id: send-test-1",
    ]);
    expect(result.stdout).toMatch(/^202 /);
    expect(result.code).toBe(0);
    await expect.poll(() => delivered("send.binary").length).toBe(1);
    const [event] = delivered("send.binary");
    expect(event).toMatchObject({
      id: 'fixed "1" €', // percent-encoded on the way, as the binding says
      source: "/shop/eu",
      datacontenttype: "application/json",
      data: { orderId: 7, total: 25.5 },
    });
    expect(gateway.stderr()).not.toContain("send-test-1"); // accepted: nothing logged at info
  });

  it("structured mode with --count and --concurrency: fresh ids, and a one-line summary", async () => {
    const result = await send([
      "--type",
      "send.structured",
      "--source",
      "/s",
      "--mode",
      "structured",
      "--data",
      "plain text",
      "--count",
      "12",
      "--concurrency",
      "4",
    ]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^sent 12 event\(s\): 12 accepted, 0 refused, 0 failed; requests by status: 202×12; [\d.]+ events\/s; latency p50 [\d.]+ ms, p99 [\d.]+ ms$/,
    );
    // Not a terminal: no progress line was drawn.
    expect(result.stderr).toBe("");
    await expect.poll(() => delivered("send.structured").length).toBe(12);
    const events = delivered("send.structured");
    expect(new Set(events.map((e) => e.id)).size).toBe(12);
    expect(events[0]).toMatchObject({ data: "plain text", datacontenttype: "text/plain" });
  });

  it("batch mode: arrays of --batch-size events", async () => {
    const result = await send([
      "--type",
      "send.batch",
      "--source",
      "/s",
      "--mode",
      "batch",
      "--count",
      "7",
      "--batch-size",
      "3",
      "--data",
      '{"n":1}',
    ]);
    expect(result.code).toBe(0);
    // 7 events in 3 requests: 3 + 3 + 1.
    expect(result.stdout).toContain(
      "sent 7 event(s): 7 accepted, 0 refused, 0 failed; requests by status: 202×3;",
    );
    await expect.poll(() => delivered("send.batch").length).toBe(7);
    expect(new Set(delivered("send.batch").map((e) => e.id)).size).toBe(7);
  });

  it("exits 1 when events are refused, counting them by status", async () => {
    // The project's schemas/ holds com.example.order.created's contract: this data breaks it (422).
    const result = await send([
      "--type",
      "com.example.order.created",
      "--source",
      "/s",
      "--data",
      '{"orderId":"x"}',
      "--count",
      "3",
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      "sent 3 event(s): 0 accepted, 3 refused, 0 failed; requests by status: 422×3;",
    );
    expect(result.stderr).toContain("first refusal: 422");
  });

  it("exits 1 when the gateway cannot be reached", async () => {
    const run = runCli([
      "send",
      `http://127.0.0.1:${await freePort()}/events`,
      "--type",
      "t",
      "--source",
      "/s",
    ]);
    expect(await run.exited).toBe(1);
    expect(run.output().stdout).toContain("cannot send to");
  });

  it("refuses a bad --mode with the usage (exit 2)", async () => {
    const result = await send(["--type", "t", "--source", "/s", "--mode", "carrier-pigeon"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--mode must be binary, structured or batch");
  });
});
