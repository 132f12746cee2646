/**
 * The request limits the core enforces (JSON nesting depth and string
 * length), through the Worker exactly as wrangler builds it, run in workerd.
 * Header size, header count, slow bodies and connections are Cloudflare's
 * own limits on Workers, not the gateway's: nothing of them to test here.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBuiltWorker, workerProblem, wranglerBuild } from "../support/wrangler-build.js";

const CONFIG = `version: 1
server: { maxJsonDepth: 16, maxJsonStringBytes: 1024 }
targets: { out: { type: stdout } }
routes: [{ name: all, to: [out] }]
ingest:
  sources:
    - path: /hooks/plain
      type: json
      event: { type: "'com.example.plain'", source: "'/legacy'" }
`;

let worker: Miniflare;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "ce-gateway-limits-worker-"));
  const configPath = join(dir, "gateway.yaml");
  writeFileSync(configPath, CONFIG);
  const build = await wranglerBuild({ gatewayConfig: configPath });
  worker = await runBuiltWorker(build.outdir, { onConsole: () => {} });
}, 180_000);

afterAll(async () => {
  await worker?.dispose();
});

const post = (path: string, headers: Record<string, string>, body: string) =>
  worker.dispatchFetch(`http://gateway${path}`, { method: "POST", headers, body });

const STRUCTURED = { "content-type": "application/cloudevents+json" };
const nested = (depth: number) => `${"[".repeat(depth)}1${"]".repeat(depth)}`;
const structured = (data: string) =>
  `{"specversion":"1.0","id":"e1","source":"/s","type":"t","data":${data}}`;

async function expectLimit(
  response: Awaited<ReturnType<typeof post>>,
  code: string,
  pointer: string,
): Promise<void> {
  expect(response.status).toBe(400);
  const problem = await workerProblem(response);
  expect(problem.code).toBe("malformed-body");
  expect(problem.errors).toEqual([expect.objectContaining({ code, pointer })]);
}

describe("JSON limits in the built Worker", () => {
  it('refuses 100,000 `[` and 100,000 `{"a":` with 400 json-too-deep, never a 500', async () => {
    await expectLimit(
      await post("/events", STRUCTURED, "[".repeat(100_000)),
      "json-too-deep",
      "/0".repeat(16),
    );
    await expectLimit(
      await post("/events", STRUCTURED, '{"a":'.repeat(100_000)),
      "json-too-deep",
      "/a".repeat(16),
    );
  });

  it("accepts an event nested exactly at server.maxJsonDepth and refuses one level more", async () => {
    const atLimit = await post("/events", STRUCTURED, structured(nested(15)));
    expect(atLimit.status).toBe(202);
    await atLimit.text();
    await expectLimit(
      await post("/events", STRUCTURED, structured(nested(16))),
      "json-too-deep",
      `/data${"/0".repeat(15)}`,
    );
  });

  it("refuses a string past server.maxJsonStringBytes in binary-mode JSON data", async () => {
    const headers = {
      "content-type": "application/json",
      "ce-specversion": "1.0",
      "ce-id": "e2",
      "ce-source": "/s",
      "ce-type": "t",
    };
    await expectLimit(
      await post("/events", headers, JSON.stringify({ note: "x".repeat(2048) })),
      "json-string-too-long",
      "/data/note",
    );
    const ok = await post("/events", headers, JSON.stringify({ note: "x".repeat(1024) }));
    expect(ok.status).toBe(202);
    await ok.text();
  });

  it("holds a source's body to the same limits", async () => {
    const json = { "content-type": "application/json" };
    await expectLimit(
      await post("/hooks/plain", json, "[".repeat(100_000)),
      "json-too-deep",
      "/0".repeat(16),
    );
    await expectLimit(
      await post("/hooks/plain", json, JSON.stringify({ blob: "y".repeat(2048) })),
      "json-string-too-long",
      "/blob",
    );
  });
});
