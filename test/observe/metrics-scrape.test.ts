/**
 * The Prometheus scrape of a real `ce-gateway serve` process after real
 * traffic: accepted events, requests refused 400 and 422, a target that is
 * down (retried, then 503), one that refuses (dead-lettered). Read on the
 * admin listener and on the main listener behind its token, and checked by
 * promtool (Debian package `prometheus`) when it is installed.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, type RunningCli, startCli } from "../support/cli-process.js";
import { type HttpReceiver, startHttpReceiver } from "../support/http-receiver.js";
import { parseScrape, type Sample, sampleValue } from "../support/prometheus-text.js";

const ADMIN_TOKEN = "admin-token-for-the-metrics-test";
const METRICS_TOKEN = "metrics-token-for-the-scrape";

/** Why promtool cannot run here, or undefined when it can. */
function promtoolMissing(): string | undefined {
  const probe = spawnSync("promtool", ["--version"], { encoding: "utf8" });
  if (probe.error === undefined && probe.status === 0) return undefined;
  return "promtool is not installed (apt-get install prometheus)";
}
const missing = promtoolMissing();
if (missing !== undefined && process.env.CE_REQUIRE_PROMTOOL === "1") {
  throw new Error(`CE_REQUIRE_PROMTOOL is set but ${missing}`);
}

let receiver: HttpReceiver;
let cli: RunningCli;
let adminUrl: string;
let file: string;

function config(downPort: number, adminPort: number, extraRoute = ""): string {
  const sha256 = createHash("sha256").update(ADMIN_TOKEN).digest("hex");
  return `version: 1
server:
  maxHeaderCount: 20
  metrics: { token: "\${env:METRICS_TOKEN}" }
admin:
  port: ${adminPort}
  tokens: [{ id: ops, sha256: ${sha256} }]
targets:
  up: { type: http, url: "${receiver.url}/in", mode: structured }
  down:
    type: http
    url: "http://127.0.0.1:${downPort}/in"
    mode: structured
    retry: { maxAttempts: 3, initialDelayMs: 10, maxDelayMs: 20 }
  refusing: { type: http, url: "${receiver.url}/refuse", mode: structured }
  parked: { type: http, url: "${receiver.url}/parked", mode: structured }
routes:
  - name: orders
    filters: [{ prefix: { type: com.example.order } }]
    to: [up]
  - name: payments
    filters: [{ exact: { type: com.example.payment } }]
    to: [down]
  - name: refunds
    filters: [{ exact: { type: com.example.refund } }]
    to: [refusing]
    deadLetter: parked
${extraRoute}`;
}

const post = (body: string) =>
  fetch(`${cli.url}/events`, {
    method: "POST",
    headers: { "content-type": "application/cloudevents+json" },
    body,
  });
const event = (id: string, type: string) =>
  JSON.stringify({ specversion: "1.0", id, source: "/shop", type, data: { n: 1 } });

async function scrapeAdmin(): Promise<{ text: string; samples: Sample[]; contentType: string | null }> {
  const response = await fetch(`${adminUrl}/metrics`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  expect(response.status).toBe(200);
  const text = await response.text();
  return { text, samples: parseScrape(text), contentType: response.headers.get("content-type") };
}

beforeAll(async () => {
  receiver = await startHttpReceiver();
  const [downPort, adminPort] = await Promise.all([freePort(), freePort()]);
  file = join(mkdtempSync(join(tmpdir(), "ce-gateway-metrics-")), "gateway.yaml");
  writeFileSync(file, config(downPort, adminPort));
  cli = await startCli(["serve", "--config", file, "--port", "0"], { METRICS_TOKEN });
  adminUrl = `http://127.0.0.1:${adminPort}`;

  // Real traffic: three accepted orders (one batch of two, one single), a body that is not JSON (400),
  // an event no route matches (422), a payment to a target that is down (retried, then 503),
  // a refund its target refuses (dead-lettered to `parked`, 202).
  const batch = await fetch(`${cli.url}/events`, {
    method: "POST",
    headers: { "content-type": "application/cloudevents-batch+json" },
    body: `[${event("o-1", "com.example.order.created")},${event("o-2", "com.example.order.paid")}]`,
  });
  expect(batch.status).toBe(202);
  expect((await post(event("o-3", "com.example.order.created"))).status).toBe(202);
  expect((await post("{not json")).status).toBe(400);
  expect((await post(event("x-1", "com.example.unknown"))).status).toBe(422);
  expect((await post(event("p-1", "com.example.payment"))).status).toBe(503);
  expect((await post(event("r-1", "com.example.refund"))).status).toBe(202);
  // Refused by the listener's own limits (server.maxHeaderCount), before the gateway sees it.
  const manyHeaders = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`x-extra-${i}`, "1"]));
  const tooMany = await fetch(`${cli.url}/events`, {
    method: "POST",
    headers: { "content-type": "application/cloudevents+json", ...manyHeaders },
    body: event("h-1", "com.example.order.created"),
  });
  expect(tooMany.status).toBe(431);
}, 60_000);

afterAll(async () => {
  await cli?.stop("SIGKILL");
  await receiver?.close();
});

describe("GET /metrics after real traffic", () => {
  it("counts events received, accepted and refused by reason and status class", async () => {
    const { samples, contentType } = await scrapeAdmin();
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sampleValue(samples, "ce_gateway_events_received_total", { mode: "batch" })).toBe(2);
    // o-3, x-1, p-1, r-1: the body that is not JSON never decoded to an event.
    expect(sampleValue(samples, "ce_gateway_events_received_total", { mode: "structured" })).toBe(4);
    // o-1, o-2, o-3 and r-1 (dead-lettered, so answered 202).
    expect(sampleValue(samples, "ce_gateway_events_accepted_total")).toBe(4);
    expect(
      sampleValue(samples, "ce_gateway_requests_refused_total", {
        reason: "malformed-body",
        status_class: "4xx",
      }),
    ).toBe(1);
    expect(
      sampleValue(samples, "ce_gateway_requests_refused_total", { reason: "no-route", status_class: "4xx" }),
    ).toBe(1);
    expect(
      sampleValue(samples, "ce_gateway_requests_refused_total", {
        reason: "headers-too-large",
        status_class: "4xx",
      }),
    ).toBe(1);
    const failed = samples.filter((s) => s.name === "ce_gateway_requests_failed_total");
    expect(failed.map((s) => [s.labels.status_class, s.value])).toEqual([["5xx", 1]]);
  });

  it("counts route matches, publishes by outcome with latency, retries and dead letters", async () => {
    const { samples } = await scrapeAdmin();
    expect(sampleValue(samples, "ce_gateway_route_matches_total", { route: "orders" })).toBe(3);
    expect(sampleValue(samples, "ce_gateway_route_matches_total", { route: "payments" })).toBe(1);
    expect(sampleValue(samples, "ce_gateway_route_matches_total", { route: "refunds" })).toBe(1);
    expect(sampleValue(samples, "ce_gateway_publishes_total", { target: "up", outcome: "acked" })).toBe(3);
    expect(sampleValue(samples, "ce_gateway_publishes_total", { target: "down", outcome: "retriable" })).toBe(
      1,
    );
    expect(
      sampleValue(samples, "ce_gateway_publishes_total", { target: "refusing", outcome: "terminal" }),
    ).toBe(1);
    // Three attempts at the target that is down: two retries.
    expect(sampleValue(samples, "ce_gateway_publish_retries_total", { target: "down" })).toBe(2);
    expect(sampleValue(samples, "ce_gateway_publish_retries_total", { target: "up" })).toBeUndefined();
    expect(
      sampleValue(samples, "ce_gateway_dead_letters_total", {
        target: "refusing",
        dead_letter: "parked",
        outcome: "acked",
      }),
    ).toBe(1);
    expect(receiver.requests.filter((r) => r.path === "/parked")).toHaveLength(1);
    const upLatency = { target: "up", outcome: "acked" };
    expect(sampleValue(samples, "ce_gateway_publish_duration_seconds_count", upLatency)).toBe(3);
    const sum = sampleValue(samples, "ce_gateway_publish_duration_seconds_sum", upLatency) ?? 0;
    expect(sum).toBeGreaterThan(0);
    expect(sum).toBeLessThan(10);
    expect(
      sampleValue(samples, "ce_gateway_publish_duration_seconds_bucket", { ...upLatency, le: "+Inf" }),
    ).toBe(3);
  });

  it("reads the circuits, deliveries in flight and config generation when scraped, beside process metrics", async () => {
    const { samples } = await scrapeAdmin();
    for (const target of ["up", "down", "refusing", "parked"]) {
      expect(sampleValue(samples, "ce_gateway_circuit_state", { target })).toBe(0);
      expect(sampleValue(samples, "ce_gateway_publish_in_flight", { target })).toBe(0);
    }
    // No outbox configured: no outbox series.
    expect(samples.some((s) => s.name.startsWith("ce_gateway_outbox_"))).toBe(false);
    expect(sampleValue(samples, "ce_gateway_config_generation")).toBe(1);
    expect(sampleValue(samples, "process_cpu_user_seconds_total")).toBeGreaterThan(0);
    expect(sampleValue(samples, "nodejs_heap_size_used_bytes")).toBeGreaterThan(0);
  });

  it("labels series only with names the config or the gateway gives, never an event's type or source", async () => {
    const { samples } = await scrapeAdmin();
    const allowed = new Set([
      "mode",
      "reason",
      "status_class",
      "route",
      "target",
      "outcome",
      "dead_letter",
      "le",
      "result",
      "store",
      "operation",
    ]);
    const gatewayLabels = new Set(
      samples.filter((s) => s.name.startsWith("ce_gateway_")).flatMap((s) => Object.keys(s.labels)),
    );
    expect([...gatewayLabels].filter((l) => !allowed.has(l))).toEqual([]);
    const values = samples.flatMap((s) => Object.values(s.labels));
    for (const producerWritten of ["com.example.order.created", "com.example.unknown", "/shop", "o-1"]) {
      expect(values).not.toContain(producerWritten);
    }
  });

  it("serves the same scrape on the main listener, only with the metrics token", async () => {
    const anonymous = await fetch(`${cli.url}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Bearer/);
    const wrong = await fetch(`${cli.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(wrong.status).toBe(401);
    const scraped = await fetch(`${cli.url}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(scraped.status).toBe(200);
    const samples = parseScrape(await scraped.text());
    expect(sampleValue(samples, "ce_gateway_publishes_total", { target: "up", outcome: "acked" })).toBe(3);
    // The scrape is the one request the main listener is handling; the admin listener's scrapes are not its.
    expect(sampleValue(samples, "ce_gateway_requests_in_flight")).toBe(1);
    expect(sampleValue((await scrapeAdmin()).samples, "ce_gateway_requests_in_flight")).toBe(0);
    // The admin listener wants an admin token: the metrics token opens nothing there.
    const adminWithMetricsToken = await fetch(`${adminUrl}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(adminWithMetricsToken.status).toBe(401);
  });

  it.skipIf(missing !== undefined)(
    `passes promtool check metrics${missing === undefined ? "" : ` (skipped: ${missing})`}`,
    async () => {
      const { text } = await scrapeAdmin();
      const checked = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
      expect({ status: checked.status, output: `${checked.stdout}${checked.stderr}` }).toEqual({
        status: 0,
        output: "",
      });
    },
  );

  it("counts reloads by result and shows the new generation", async () => {
    const reload = () =>
      fetch(`${adminUrl}/reload`, { method: "POST", headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    // The file watcher may reload on these writes too: counts are at least the admin's, and the
    // generation scraped is the one /status shows.
    writeFileSync(file, "version: 1\nthis is: [not a config");
    expect((await reload()).status).toBe(422);
    writeFileSync(file, config(await freePort(), Number(new URL(adminUrl).port)));
    expect((await reload()).status).toBe(200);
    const status = async () =>
      (
        (await (
          await fetch(`${adminUrl}/status`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
        ).json()) as {
          generation: number;
        }
      ).generation;
    await expect
      .poll(async () => {
        const before = await status();
        const scraped = sampleValue((await scrapeAdmin()).samples, "ce_gateway_config_generation");
        return scraped === before && before >= 2;
      })
      .toBe(true);
    const { samples } = await scrapeAdmin();
    expect(
      sampleValue(samples, "ce_gateway_config_reloads_total", { result: "success" }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sampleValue(samples, "ce_gateway_config_reloads_total", { result: "failure" }),
    ).toBeGreaterThanOrEqual(1);
  });
});
