/**
 * CORS on the Worker wrangler builds (run in workerd): one OPTIONS path
 * answers a browser's preflight and the webhook handshake, and answers to
 * an allowed origin carry the CORS headers, problem answers included.
 */
import type { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CORS_KEY, writeCorsConfig } from "../support/cors-config.js";
import { runBuiltWorker, workerProblem, wranglerBuild } from "../support/wrangler-build.js";

const PAGE = "https://app.example.com";
let worker: Miniflare;

beforeAll(async () => {
  const build = await wranglerBuild({ gatewayConfig: writeCorsConfig(PAGE) });
  worker = await runBuiltWorker(build.outdir);
}, 180_000);

afterAll(async () => {
  await worker?.dispose();
});

const preflight = {
  origin: PAGE,
  "access-control-request-method": "POST",
  "access-control-request-headers": "authorization, content-type, ce-id, ce-source, ce-specversion, ce-type",
};
const handshake = { "webhook-request-origin": "eventgrid.azure.net" };
const binary = {
  "ce-specversion": "1.0",
  "ce-id": "w-1",
  "ce-source": "/page",
  "ce-type": "com.example.clicked",
  "content-type": "text/plain",
};

describe("CORS on the built Worker", () => {
  it("answers a preflight on /events with 204 and the Access-Control headers", async () => {
    const response = await worker.dispatchFetch("http://gateway/events", {
      method: "OPTIONS",
      headers: preflight,
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe(PAGE);
    expect(response.headers.get("access-control-allow-headers")).toBe(
      "content-type, authorization, ce-id, ce-source, ce-specversion, ce-type",
    );
    expect(response.headers.get("access-control-max-age")).toBe("60");
  });

  it("answers the handshake, and both in one request, on the same path", async () => {
    const alone = await worker.dispatchFetch("http://gateway/events", {
      method: "OPTIONS",
      headers: handshake,
    });
    expect(alone.status).toBe(200);
    expect(alone.headers.get("webhook-allowed-origin")).toBe("eventgrid.azure.net");
    expect(alone.headers.get("access-control-allow-origin")).toBeNull();
    const both = await worker.dispatchFetch("http://gateway/events", {
      method: "OPTIONS",
      headers: { ...preflight, ...handshake },
    });
    expect(both.status).toBe(200);
    expect(both.headers.get("webhook-allowed-origin")).toBe("eventgrid.azure.net");
    expect(both.headers.get("access-control-allow-origin")).toBe(PAGE);
  });

  it("refuses a preflight from another origin with 403 and no CORS headers", async () => {
    const response = await worker.dispatchFetch("http://gateway/hooks/orders", {
      method: "OPTIONS",
      headers: { ...preflight, origin: "https://evil.example.com" },
    });
    expect(response.status).toBe(403);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    expect((await workerProblem(response)).code).toBe("origin-not-allowed");
  });

  it("adds the CORS headers to an accepted POST and to a 401", async () => {
    const accepted = await worker.dispatchFetch("http://gateway/events", {
      method: "POST",
      headers: { ...binary, origin: PAGE, authorization: `Bearer ${CORS_KEY}` },
      body: "clicked",
    });
    expect(accepted.status).toBe(202);
    expect(accepted.headers.get("access-control-allow-origin")).toBe(PAGE);
    expect(accepted.headers.get("vary")).toBe("origin");
    await accepted.text();
    const refused = await worker.dispatchFetch("http://gateway/hooks/orders", {
      method: "POST",
      headers: { origin: PAGE, "content-type": "application/json" },
      body: "{}",
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("access-control-allow-origin")).toBe(PAGE);
    expect((await workerProblem(refused)).code).toBe("unauthenticated");
  });
});
