/**
 * `ce-gateway serve` with an Event Grid target from YAML, end to end: a
 * producer's POST, the target loaded from the catalog with generated
 * signatures, the local Event Grid receiving, and the answers the producer
 * gets for an over-size event and a refused one.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningCli, startCli } from "../support/cli-process.js";
import { type FakeEventGrid, startFakeEventGrid } from "../support/fake-eventgrid.js";

const key = Buffer.from("an end-to-end topic key").toString("base64");
let fake: FakeEventGrid;
let cli: RunningCli;

beforeAll(async () => {
  fake = await startFakeEventGrid({ sasKey: key });
  const file = join(mkdtempSync(join(tmpdir(), "ce-gateway-")), "gateway.yaml");
  writeFileSync(
    file,
    [
      "version: 1",
      "server: { maxBodyBytes: 4194304, maxJsonStringBytes: 4194304 }", // one string of data over 1 MiB
      "targets:",
      "  grid:",
      "    type: eventgrid",
      '    endpoint: "${env:GRID_URL}/api/events"',
      '    sasToken: { key: "${env:GRID_KEY}" }',
      "    allowInsecure: true",
      "routes:",
      "  - name: all",
      "    to: [grid]",
      "",
    ].join("\n"),
  );
  cli = await startCli(["serve", "--config", file, "--port", "0"], { GRID_URL: fake.url, GRID_KEY: key });
});
afterAll(async () => {
  await cli?.stop("SIGKILL");
  await fake?.close();
});

const post = (event: Record<string, unknown>) =>
  fetch(`${cli.url}/events`, {
    method: "POST",
    headers: { "content-type": "application/cloudevents+json" },
    body: JSON.stringify(event),
  });

const base = { specversion: "1.0", source: "/shop", type: "com.example.order.created" };

describe("ce-gateway serve with an Event Grid target", () => {
  it("accepts events with 202 and publishes them, through the SDK when faithful and as REST otherwise", async () => {
    const timed = {
      ...base,
      id: "o-1",
      time: "2026-11-30T12:00:00.123Z",
      datacontenttype: "application/json",
    };
    expect((await post({ ...timed, data: { order: 1 } })).status).toBe(202);
    expect((await post({ ...timed, id: "o-2", data: [1, 2, 3] })).status).toBe(202);
    await expect.poll(() => fake.requests.length).toBe(2);
    const [first, second] = fake.requests.map((r) => JSON.parse(r.body)[0]);
    expect(first).toMatchObject({ id: "o-1", data: { order: 1 } });
    expect(second).toMatchObject({ id: "o-2", data: [1, 2, 3] });
    expect(fake.requests.map((r) => /azsdk-js-eventgrid/.test(r.headers["user-agent"] ?? ""))).toEqual([
      true,
      false,
    ]);
    expect(fake.requests.every((r) => r.headers["aeg-sas-token"]?.startsWith("r="))).toBe(true);
  });

  it("answers 413 naming the target for an event over 1 MB, without sending it", async () => {
    const before = fake.requests.length;
    const response = await post({
      ...base,
      id: "huge",
      datacontenttype: "text/plain",
      data: "x".repeat(1_100_000),
    });
    expect(response.status).toBe(413);
    expect(response.headers.get("content-type")).toMatch(/problem\+json/);
    expect(await response.text()).toContain("grid");
    expect(fake.requests.length).toBe(before);
  });

  it("answers 502 when Event Grid refuses the request, with the service's error", async () => {
    fake.failNext({ status: 403 });
    const response = await post({ ...base, id: "refused" });
    expect(response.status).toBe(502);
    expect(await response.text()).toContain("Status403");
  });
});
