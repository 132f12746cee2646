/** The Prometheus metrics in a program of one's own: the core gateway fed to `PrometheusMetrics` from `ce-gateway/node`, scraped from a route of the user's app. */
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { createMemoryAdapter } from "../../adapters/memory/index.js";
import { PrometheusMetrics } from "../../src/entries/node/index.js";
import { createGateway } from "../../src/index.js";
import { binaryHeaders } from "../support/gateway.js";
import { parseScrape, sampleValue } from "../support/prometheus-text.js";

describe("PrometheusMetrics as a library", () => {
  it("counts what a gateway mounted in a user's app does, and serves it from the user's route", async () => {
    const metrics = new PrometheusMetrics();
    const gateway = createGateway(
      { routes: [{ name: "all", to: ["recent"] }] },
      { targets: { recent: createMemoryAdapter() }, observer: metrics.observer() },
    );
    metrics.watch(gateway);
    const app = new Hono();
    app.route("/ingest", gateway);
    app.get("/metrics", async (c) => {
      const { contentType, body } = await metrics.scrape();
      return c.body(body, 200, { "content-type": contentType });
    });

    expect((await app.request("/ingest/events", { method: "POST", headers: binaryHeaders() })).status).toBe(
      202,
    );
    const samples = parseScrape(await (await app.request("/metrics")).text());
    expect(sampleValue(samples, "ce_gateway_events_received_total", { mode: "binary" })).toBe(1);
    expect(sampleValue(samples, "ce_gateway_route_matches_total", { route: "all" })).toBe(1);
    expect(sampleValue(samples, "ce_gateway_publishes_total", { target: "recent", outcome: "acked" })).toBe(
      1,
    );
    expect(sampleValue(samples, "ce_gateway_circuit_state", { target: "recent" })).toBe(0);
    await gateway.close();
  });
});
