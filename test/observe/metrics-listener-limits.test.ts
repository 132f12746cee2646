/**
 * Metrics of what the Node listener's own limits do, on a real `ce-gateway
 * serve` process: the requests it is handling (a request held open counts),
 * and one refused 503 overloaded at `server.maxInFlight`, which never
 * reaches the gateway's pipeline.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, type RunningCli, startCli } from "../support/cli-process.js";
import { parseScrape, sampleValue } from "../support/prometheus-text.js";

const ADMIN_TOKEN = "admin-token-for-the-limits-metrics";
let cli: RunningCli | undefined;
afterAll(async () => {
  await cli?.stop("SIGKILL");
});

describe("the listener's limits in the metrics", () => {
  it("shows the requests in flight and counts a request refused overloaded", async () => {
    const adminPort = await freePort();
    const file = join(mkdtempSync(join(tmpdir(), "ce-gateway-metrics-limits-")), "gateway.yaml");
    writeFileSync(
      file,
      `version: 1
server: { maxInFlight: 1 }
admin:
  port: ${adminPort}
  tokens: [{ id: ops, sha256: ${createHash("sha256").update(ADMIN_TOKEN).digest("hex")} }]
targets: { out: { type: stdout } }
routes: [{ name: all, to: [out] }]
`,
    );
    cli = await startCli(["serve", "--config", file, "--port", "0"]);
    const { hostname, port } = new URL(cli.url);
    const scrape = async () => {
      const response = await fetch(`http://127.0.0.1:${adminPort}/metrics`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      return parseScrape(await response.text());
    };
    const body = '{"specversion":"1.0","id":"held","source":"/s","type":"t"}';
    // A request whose body is still arriving holds the one place maxInFlight allows.
    const held = connect(Number(port), hostname);
    let answer = "";
    held.on("data", (chunk) => {
      answer += chunk.toString();
    });
    held.write(
      `POST /events HTTP/1.1\r\nHost: x\r\ncontent-type: application/cloudevents+json\r\ncontent-length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
    );
    await expect
      .poll(async () => sampleValue(await scrape(), "ce_gateway_requests_in_flight"), { timeout: 5_000 })
      .toBe(1);
    const refused = await fetch(`${cli.url}/events`, {
      method: "POST",
      headers: { "content-type": "application/cloudevents+json" },
      body: '{"specversion":"1.0","id":"shed","source":"/s","type":"t"}',
    });
    expect(refused.status).toBe(503);
    const samples = await scrape();
    expect(
      sampleValue(samples, "ce_gateway_requests_refused_total", {
        reason: "overloaded",
        status_class: "5xx",
      }),
    ).toBe(1);
    held.end(body.slice(10));
    await expect.poll(() => answer, { timeout: 5_000 }).toMatch(/^HTTP\/1\.1 202/);
    await expect
      .poll(async () => sampleValue(await scrape(), "ce_gateway_requests_in_flight"), { timeout: 5_000 })
      .toBe(0);
    expect(sampleValue(await scrape(), "ce_gateway_events_accepted_total")).toBe(1);
  }, 30_000);
});
