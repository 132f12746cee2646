/**
 * `ack: async` on the Worker wrangler builds, run in workerd through
 * Miniflare with a real Queues broker (`queueProducers`, `queueConsumers`):
 * 202 once the queue has the event, then the same Worker's queue() handler
 * delivers it with the gateway's retry policy and dead letters; an event too
 * large for a queue message is refused at ingress with 413; a Worker without
 * its queue binding answers 503 naming it. Miniflare's broker happens to
 * deliver in order; order is not promised on Workers and nothing here checks it.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBuiltWorker, workerProblem, wranglerBuild } from "../support/wrangler-build.js";

const CONFIG = `version: 1
targets:
  orders:
    type: http
    url: "\${env:RECEIVER}/orders"
    mode: structured
    retry: { maxAttempts: 50, initialDelayMs: 100, maxDelayMs: 500 }
  refusing: { type: http, url: "\${env:RECEIVER}/refusing", mode: structured }
  failing:
    type: http
    url: "\${env:RECEIVER}/failing"
    mode: structured
    retry: { maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 200 }
  parked: { type: http, url: "\${env:RECEIVER}/parked", mode: structured }
routes:
  - name: orders
    filters: [{ prefix: { type: com.example.order } }]
    to: [orders]
    ack: async
  - name: refused
    filters: [{ exact: { type: com.example.refused } }]
    to: [refusing]
    ack: async
    deadLetter: parked
  - name: failing
    filters: [{ exact: { type: com.example.failing } }]
    to: [failing]
    ack: async
    deadLetter: parked
delivery:
  outbox: { type: queue }
`;

const QUEUE = "ce-gateway-outbox";

interface Received {
  readonly id: string;
  readonly extensions: Record<string, unknown>;
}

/** What each path received, in arrival order; /orders answers 503 while `ordersDown`, /refusing always 400, /failing 503. */
const received: Record<string, Received[]> = { "/orders": [], "/parked": [] };
let ordersDown = false;
let refusedOrders = 0;
let server: Server;
let build: Awaited<ReturnType<typeof wranglerBuild>>;
let worker: Miniflare;
let receiverUrl: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const path = request.url ?? "";
      if (path === "/refusing") return void response.writeHead(400).end();
      if (path === "/failing") return void response.writeHead(503).end();
      if (path === "/orders" && ordersDown) {
        refusedOrders += 1;
        return void response.writeHead(503).end();
      }
      const {
        id,
        specversion: _v,
        source: _s,
        type: _t,
        data: _d,
        ...extensions
      } = JSON.parse(Buffer.concat(chunks).toString());
      received[path]?.push({ id, extensions });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = mkdtempSync(join(tmpdir(), "ce-gateway-queue-worker-"));
  writeFileSync(join(dir, "gateway.yaml"), CONFIG);
  build = await wranglerBuild({ gatewayConfig: join(dir, "gateway.yaml") });
  worker = await runBuiltWorker(build.outdir, {
    bindings: { RECEIVER: receiverUrl },
    queueProducers: { OUTBOX: { queueName: QUEUE } },
    queueConsumers: { [QUEUE]: { maxBatchSize: 10, maxBatchTimeout: 0, maxRetries: 10 } },
  });
}, 180_000);

afterAll(async () => {
  await worker?.dispose();
  await new Promise((resolve) => server?.close(resolve));
});

const post = (mf: Miniflare, event: Record<string, unknown>) =>
  mf.dispatchFetch("http://gateway/events", {
    method: "POST",
    headers: { "content-type": "application/cloudevents+json" },
    body: JSON.stringify({ specversion: "1.0", source: "/shop", ...event }),
  });

const idsAt = (path: string) => (received[path] ?? []).map((r) => r.id);

describe("ack: async on the built Worker, through a Cloudflare Queue", () => {
  it("answers 202 queued once the queue has each event, and the queue consumer delivers every one", async () => {
    const ids = Array.from({ length: 25 }, (_, i) => `q-${i}`);
    const answers = await Promise.all(ids.map((id) => post(worker, { id, type: "com.example.order" })));
    expect(answers.map((r) => r.status)).toEqual(ids.map(() => 202));
    const bodies = (await Promise.all(answers.map((r) => r.json()))) as { events: { queued?: true }[] }[];
    expect(bodies.every((b) => b.events[0]?.queued === true)).toBe(true);
    await expect.poll(() => idsAt("/orders").length, { timeout: 15_000, interval: 100 }).toBe(ids.length);
    expect(new Set(idsAt("/orders"))).toEqual(new Set(ids));
  }, 30_000);

  it("keeps events while their target is down, and delivers each once it is back", async () => {
    ordersDown = true;
    const ids = Array.from({ length: 5 }, (_, i) => `down-${i}`);
    const answers = await Promise.all(ids.map((id) => post(worker, { id, type: "com.example.order.late" })));
    expect(answers.map((r) => r.status)).toEqual(ids.map(() => 202));
    // Tried and refused more than once each: the records went back to the queue with their attempts.
    await expect.poll(() => refusedOrders, { timeout: 15_000, interval: 100 }).toBeGreaterThanOrEqual(10);
    expect(ids.filter((id) => idsAt("/orders").includes(id))).toEqual([]);
    ordersDown = false;
    await expect
      .poll(() => ids.filter((id) => idsAt("/orders").includes(id)).length, {
        timeout: 20_000,
        interval: 100,
      })
      .toBe(ids.length);
    const copies = ids.map((id) => idsAt("/orders").filter((seen) => seen === id).length);
    expect(copies).toEqual(ids.map(() => 1));
  }, 60_000);

  it("sends an event its target refuses for good to the route's dead letter, with why", async () => {
    const answer = await post(worker, { id: "refused-1", type: "com.example.refused" });
    expect(answer.status).toBe(202);
    await expect.poll(() => idsAt("/parked"), { timeout: 15_000, interval: 100 }).toEqual(["refused-1"]);
    const letter = received["/parked"]?.[0]?.extensions ?? {};
    expect(letter.deadlettertarget).toBe("refusing");
    expect(letter.deadletterattempts).toBe(1);
    expect(letter.deadletterstatus).toBe("400");
  }, 30_000);

  it("carries a record's attempts across the queue: dead-lettered after the target's retries ran out", async () => {
    const answer = await post(worker, { id: "failing-1", type: "com.example.failing" });
    expect(answer.status).toBe(202);
    await expect.poll(() => idsAt("/parked").includes("failing-1"), { timeout: 20_000 }).toBe(true);
    const letter = received["/parked"]?.find((r) => r.id === "failing-1")?.extensions ?? {};
    expect(letter.deadlettertarget).toBe("failing");
    expect(letter.deadletterattempts).toBe(3);
    expect(String(letter.deadlettererror)).toMatch(/503/);
  }, 30_000);

  it("refuses with 413 an event a queue message cannot hold, and takes one that fits", async () => {
    const big = await post(worker, { id: "big-1", type: "com.example.order", data: "x".repeat(127_500) });
    expect(big.status).toBe(413);
    const problem = await workerProblem(big);
    expect(problem.type).toMatch(/event-too-large$/);
    const failure = (problem.errors as { target?: string; detail: string }[])[0];
    expect(failure?.target).toBe("orders");
    expect(failure?.detail).toMatch(/a queue message holds at most 128000 bytes/);
    const fits = await post(worker, { id: "fits-1", type: "com.example.order", data: "x".repeat(100_000) });
    expect(fits.status).toBe(202);
    await expect.poll(() => idsAt("/orders").includes("fits-1"), { timeout: 15_000 }).toBe(true);
    expect(idsAt("/orders")).not.toContain("big-1");
  }, 30_000);

  it("answers 503 naming the queue binding when the Worker has none", async () => {
    const unbound = await runBuiltWorker(build.outdir, { bindings: { RECEIVER: receiverUrl } });
    try {
      const answer = await post(unbound, { id: "unbound-1", type: "com.example.order" });
      expect(answer.status).toBe(503);
      const problem = await workerProblem(answer);
      expect(problem.type).toMatch(/deployment-incomplete$/);
      expect(JSON.stringify(problem.errors)).toMatch(/OUTBOX/);
    } finally {
      await unbound.dispose();
    }
  }, 30_000);
});
