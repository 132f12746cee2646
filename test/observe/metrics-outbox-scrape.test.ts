/**
 * The outbox gauges of a real `ce-gateway serve` process whose async route's
 * target is down: records wait in the log outbox, and the scrape (on the main
 * listener, `server.metrics` alone enabling metrics) shows their depth and the
 * oldest one's age, while the dispatcher's attempts count as retriable
 * publishes. A gateway with neither an admin listener nor `server.metrics`
 * keeps no metrics: /metrics is not there.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { freePort, type RunningCli, startCli } from "../support/cli-process.js";
import { parseScrape, sampleValue } from "../support/prometheus-text.js";

const METRICS_TOKEN = "metrics-token-for-the-outbox-scrape";

let cli: RunningCli | undefined;
afterEach(async () => {
  await cli?.stop("SIGKILL");
  cli = undefined;
});

function write(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "ce-gateway-metrics-outbox-"));
  const file = join(dir, "gateway.yaml");
  writeFileSync(file, text.replaceAll("$DIR", JSON.stringify(join(dir, "outbox"))));
  return file;
}

const post = (url: string, id: string) =>
  fetch(`${url}/events`, {
    method: "POST",
    headers: { "content-type": "application/cloudevents+json" },
    body: JSON.stringify({ specversion: "1.0", id, source: "/shop", type: "com.example.order" }),
  });

describe("outbox metrics", () => {
  it("shows each target's outbox depth and oldest age while its target is down", async () => {
    const downPort = await freePort();
    const file = write(`version: 1
server:
  metrics: { path: /internal/metrics, token: "\${env:METRICS_TOKEN}" }
targets:
  down:
    type: http
    url: "http://127.0.0.1:${downPort}/in"
    retry: { maxAttempts: 100, initialDelayMs: 50, maxDelayMs: 200 }
routes:
  - name: orders
    to: [down]
    ack: async
delivery:
  outbox: { type: log, dir: $DIR }
`);
    cli = await startCli(["serve", "--config", file, "--port", "0"], { METRICS_TOKEN });
    const url = cli.url;
    for (const id of ["a-1", "a-2", "a-3"]) expect((await post(url, id)).status).toBe(202);
    const scrape = async () => {
      const response = await fetch(`${url}/internal/metrics`, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      });
      expect(response.status).toBe(200);
      return parseScrape(await response.text());
    };
    // The dispatcher tries the records again and again; each attempt is a retriable publish.
    await expect
      .poll(
        async () =>
          sampleValue(await scrape(), "ce_gateway_publishes_total", {
            target: "down",
            outcome: "retriable",
          }) ?? 0,
        { timeout: 10_000, interval: 100 },
      )
      .toBeGreaterThanOrEqual(3);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const samples = await scrape();
    expect(sampleValue(samples, "ce_gateway_outbox_depth", { target: "down" })).toBe(3);
    expect(sampleValue(samples, "ce_gateway_outbox_bytes", { target: "down" })).toBeGreaterThan(0);
    expect(
      sampleValue(samples, "ce_gateway_outbox_oldest_age_seconds", { target: "down" }),
    ).toBeGreaterThanOrEqual(0.3);
    expect(sampleValue(samples, "ce_gateway_events_accepted_total")).toBe(3);
    // One attempt per dispatch: every one after each record's first is a retry.
    const tried = sampleValue(samples, "ce_gateway_publishes_total", {
      target: "down",
      outcome: "retriable",
    });
    expect(sampleValue(samples, "ce_gateway_publish_retries_total", { target: "down" })).toBe(
      (tried ?? 0) - 3,
    );
    // The default path is the gateway's again: nothing is served there.
    expect(
      (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status,
    ).toBe(404);
  }, 30_000);

  it("keeps no metrics without an admin listener or server.metrics", async () => {
    cli = await startCli(["serve", "--port", "0"]);
    const response = await fetch(`${cli.url}/metrics`);
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });
});
