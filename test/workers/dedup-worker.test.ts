/**
 * Dedup in the Worker wrangler builds, run in workerd: records live in
 * DedupObject Durable Objects (bound as DEDUP), shared by every isolate. A
 * repeat after a partial failure goes only to the target that missed it; a
 * repeat of a complete event is a duplicate, delivered nowhere.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBuiltWorker, wranglerBuild } from "../support/wrangler-build.js";

const CONFIG = `version: 1
targets:
  a: { type: http, url: "\${env:RECEIVER}/a", mode: structured }
  b: { type: http, url: "\${env:RECEIVER}/b", mode: structured }
routes:
  - name: both
    to: [a, b]
delivery:
  dedup: { windowMs: 60000, store: { type: durable-object } }
`;

/** Records what each path received; /b answers 503 while `failB` is set. */
const received: Record<string, string[]> = { "/a": [], "/b": [] };
let failB = true;
let server: Server;
let worker: Miniflare;

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const path = request.url ?? "";
      if (path === "/b" && failB) {
        response.writeHead(503).end();
        return;
      }
      received[path]?.push(JSON.parse(Buffer.concat(chunks).toString()).id);
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const dir = mkdtempSync(join(tmpdir(), "ce-gateway-dedup-worker-"));
  writeFileSync(join(dir, "gateway.yaml"), CONFIG);
  const build = await wranglerBuild({ gatewayConfig: join(dir, "gateway.yaml") });
  const { port } = server.address() as AddressInfo;
  worker = await runBuiltWorker(build.outdir, { bindings: { RECEIVER: `http://127.0.0.1:${port}` } });
}, 180_000);

afterAll(async () => {
  await worker?.dispose();
  await new Promise((resolve) => server?.close(resolve));
});

const send = (id: string) =>
  worker.dispatchFetch("http://gateway/events", {
    method: "POST",
    headers: { "content-type": "application/cloudevents+json" },
    body: JSON.stringify({ specversion: "1.0", id, source: "/dedup", type: "com.example.dedup" }),
  });

describe("dedup on the built Worker (DedupObject)", () => {
  it("sends a repeat only where it failed, then answers duplicates without delivering", async () => {
    expect((await send("d-1")).status).toBe(503);
    expect(received).toEqual({ "/a": ["d-1"], "/b": [] });
    failB = false;
    const second = await send("d-1");
    expect(second.status).toBe(202);
    expect(received).toEqual({ "/a": ["d-1"], "/b": ["d-1"] });
    const third = await send("d-1");
    expect(third.status).toBe(202);
    expect(((await third.json()) as { events: { duplicate?: boolean }[] }).events[0]?.duplicate).toBe(true);
    expect(received).toEqual({ "/a": ["d-1"], "/b": ["d-1"] });
  });
});
