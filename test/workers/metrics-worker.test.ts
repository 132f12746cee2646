/**
 * Metrics on the Worker wrangler builds, run in workerd: with a dataset bound
 * as METRICS, each counter increment is an Analytics Engine data point.
 * Miniflare's own Analytics Engine binding accepts data points and keeps
 * none, so the recording run binds METRICS to a wrapped binding whose
 * writeDataPoint prints each point to the console, where the test reads it;
 * a second run binds Miniflare's real dataset binding, to show the gateway
 * writes through its API without failing a request.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HttpReceiver, startHttpReceiver } from "../support/http-receiver.js";
import { compatibilityDate, wranglerBuild } from "../support/wrangler-build.js";

const CONFIG = `version: 1
targets:
  orders: { type: http, url: "\${env:RECEIVER}/orders", mode: structured }
  refusing: { type: http, url: "\${env:RECEIVER}/refuse", mode: structured }
  parked: { type: http, url: "\${env:RECEIVER}/parked", mode: structured }
routes:
  - name: orders
    filters: [{ prefix: { type: com.example.order } }]
    to: [orders]
  - name: refunds
    filters: [{ exact: { type: com.example.refund } }]
    to: [refusing]
    deadLetter: parked
`;

/** A wrapped binding: its default export makes the binding from its own env. */
const RECORDER = `export default function () {
  return {
    writeDataPoint(point) {
      console.log("analytics-engine " + JSON.stringify(point));
    },
  };
}`;

interface DataPoint {
  readonly indexes: string[];
  readonly blobs: string[];
  readonly doubles: number[];
}

let receiver: HttpReceiver;
let outdir: string;
let recording: Miniflare;
const points: DataPoint[] = [];

function gatewayWorker(metrics: Record<string, unknown>) {
  return {
    name: "gateway",
    modules: true,
    scriptPath: join(outdir, "worker.js"),
    modulesRoot: outdir,
    compatibilityDate: compatibilityDate(),
    bindings: { RECEIVER: receiver.url },
    ...metrics,
  };
}

beforeAll(async () => {
  receiver = await startHttpReceiver();
  const dir = mkdtempSync(join(tmpdir(), "ce-gateway-metrics-worker-"));
  writeFileSync(join(dir, "gateway.yaml"), CONFIG);
  outdir = (await wranglerBuild({ gatewayConfig: join(dir, "gateway.yaml") })).outdir;
  recording = new Miniflare({
    workers: [
      gatewayWorker({ wrappedBindings: { METRICS: { scriptName: "metrics-recorder" } } }),
      { name: "metrics-recorder", modules: true, script: RECORDER },
    ],
    handleStructuredLogs: ({ message }: { message: string }) => {
      const match = /^analytics-engine (.*)$/.exec(message);
      if (match?.[1] !== undefined) points.push(JSON.parse(match[1]) as DataPoint);
    },
  });
  await recording.ready;
}, 180_000);

afterAll(async () => {
  await recording?.dispose();
  await receiver?.close();
});

const post = (mf: Miniflare, body: string, contentType = "application/cloudevents+json") =>
  mf.dispatchFetch("http://gateway/events", {
    method: "POST",
    headers: { "content-type": contentType },
    body,
  });
const event = (id: string, type: string) => JSON.stringify({ specversion: "1.0", id, source: "/shop", type });

/** The sum of double1 over the points of `name` whose labels (blob2..) start with `labels`. */
const total = (name: string, ...labels: string[]) =>
  points
    .filter((p) => p.blobs[0] === name && labels.every((label, i) => p.blobs[i + 1] === label))
    .reduce((sum, p) => sum + (p.doubles[0] ?? 0), 0);

describe("metrics on the built Worker", () => {
  it("writes each counter increment as a data point, labelled only with the config's and the gateway's names", async () => {
    expect(
      (
        await post(
          recording,
          `[${event("o-1", "com.example.order")},${event("o-2", "com.example.order")}]`,
          "application/cloudevents-batch+json",
        )
      ).status,
    ).toBe(202);
    expect((await post(recording, event("r-1", "com.example.refund"))).status).toBe(202);
    expect((await post(recording, event("x-1", "com.example.unknown"))).status).toBe(422);
    expect((await post(recording, "{not json")).status).toBe(400);
    await expect.poll(() => total("ce_gateway_requests_refused_total"), { timeout: 5_000 }).toBe(2);

    expect(total("ce_gateway_events_received_total", "batch")).toBe(2);
    expect(total("ce_gateway_events_received_total", "structured")).toBe(2);
    expect(total("ce_gateway_events_accepted_total")).toBe(3);
    expect(total("ce_gateway_requests_refused_total", "no-route", "4xx")).toBe(1);
    expect(total("ce_gateway_requests_refused_total", "malformed-body", "4xx")).toBe(1);
    expect(total("ce_gateway_route_matches_total", "orders")).toBe(2);
    expect(total("ce_gateway_route_matches_total", "refunds")).toBe(1);
    expect(total("ce_gateway_publishes_total", "orders", "acked")).toBe(2);
    expect(total("ce_gateway_publishes_total", "refusing", "terminal")).toBe(1);
    expect(total("ce_gateway_dead_letters_total", "refusing", "parked", "acked")).toBe(1);
    const publish = points.find((p) => p.blobs[0] === "ce_gateway_publishes_total");
    expect(publish?.indexes).toEqual(["ce_gateway_publishes_total"]);
    // double2: seconds the publish took; double3: its retries.
    expect(publish?.doubles).toHaveLength(3);
    expect(publish?.doubles[1]).toBeGreaterThanOrEqual(0);
    expect(publish?.doubles[2]).toBe(0);
    const blobs = points.flatMap((p) => p.blobs);
    for (const producerWritten of ["com.example.order", "com.example.unknown", "/shop", "o-1"]) {
      expect(blobs).not.toContain(producerWritten);
    }
  }, 30_000);

  it("writes through Miniflare's Analytics Engine binding without failing a request", async () => {
    const bound = new Miniflare({
      workers: [gatewayWorker({ analyticsEngineDatasets: { METRICS: { dataset: "ce_gateway" } } })],
    });
    try {
      await bound.ready;
      expect((await post(bound, event("o-3", "com.example.order"))).status).toBe(202);
      expect((await post(bound, event("x-2", "com.example.unknown"))).status).toBe(422);
    } finally {
      await bound.dispose();
    }
  }, 30_000);
});
