import { describe, expect, it } from "vitest";
import { binaryHeaders, problemOf, STRUCTURED, structuredEvent, testGateway } from "../support/gateway.js";

describe("status codes outside delivery", () => {
  it("answers 404 problem+json for an unknown path", async () => {
    const gw = testGateway();
    const response = await gw.gateway.request("/nope", { method: "POST" });
    expect(response.status).toBe(404);
    expect((await problemOf(response)).code).toBe("not-found");
  });

  it.each(["GET", "PUT", "DELETE", "PATCH"])("answers 405 with Allow for %s /events", async (method) => {
    const gw = testGateway();
    const response = await gw.gateway.request("/events", { method });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST, OPTIONS");
    expect((await problemOf(response)).code).toBe("method-not-allowed");
  });

  it("answers 413 for a declared Content-Length over maxBodyBytes without reading", async () => {
    const gw = testGateway({ server: { maxBodyBytes: 100 } });
    const response = await gw.post({
      headers: { ...binaryHeaders(), "content-length": "101" },
      body: "x".repeat(101),
    });
    expect(response.status).toBe(413);
    expect((await problemOf(response)).code).toBe("payload-too-large");
  });

  it("enforces maxBodyBytes while reading a body of unknown length", async () => {
    const gw = testGateway({ server: { maxBodyBytes: 1000 } });
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(400).fill(0x61));
      },
    });
    const response = await gw.gateway.request("/events", {
      method: "POST",
      headers: binaryHeaders({ "content-type": "text/plain" }),
      body: endless,
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(pulled).toBeLessThan(10);
  });

  it("answers 400 when the body stream fails part-way", async () => {
    const gw = testGateway();
    const broken = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"specversion":'));
        controller.error(new Error("connection reset"));
      },
    });
    const response = await gw.gateway.request("/events", {
      method: "POST",
      headers: STRUCTURED,
      body: broken,
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(400);
    expect((await problemOf(response)).code).toBe("body-incomplete");
  });

  it("carries events of 64 KiB and 1 MiB (the body limit) and refuses one byte more", async () => {
    const gw = testGateway();
    const envelope = JSON.stringify(structuredEvent({ datacontenttype: "text/plain", data: "" }));
    const sized = (total: number) =>
      envelope.replace('"data":""', `"data":"${"x".repeat(total - envelope.length)}"`);
    for (const size of [64 * 1024, 1024 * 1024]) {
      const response = await gw.post({ headers: STRUCTURED, body: sized(size) });
      expect(response.status, `event of ${size} bytes`).toBe(202);
    }
    expect(gw.received().map((e) => e.encoded?.length)).toEqual([64 * 1024, 1024 * 1024]);
    const over = await gw.post({ headers: STRUCTURED, body: sized(1024 * 1024 + 1) });
    expect(over.status).toBe(413);
  });

  it("reports liveness, readiness and per-target status separately", async () => {
    const gw = testGateway();
    expect((await gw.gateway.request("/healthz")).status).toBe(200);
    expect((await gw.gateway.request("/readyz")).status).toBe(200);
    const status = await gw.gateway.request("/status");
    expect(await status.json()).toEqual({
      ready: true,
      generation: 1,
      targets: {
        memory: {
          type: "memory",
          ready: true,
          delivery: {
            circuit: "none",
            inFlight: 0,
            maxInFlight: null,
            consecutiveFailures: 0,
            failures: 0,
            shed: 0,
            circuitOpened: 0,
          },
        },
      },
    });
    gw.gateway.drain();
    expect((await gw.gateway.request("/readyz")).status).toBe(503);
    expect((await gw.gateway.request("/healthz")).status).toBe(200);
  });

  it("uses a caller's x-request-id and echoes it", async () => {
    const gw = testGateway();
    const response = await gw.post({ headers: binaryHeaders({ "x-request-id": "req-123" }) });
    expect(response.headers.get("x-request-id")).toBe("req-123");
  });
});

describe("OPTIONS /events: the webhook abuse-protection handshake", () => {
  const handshake = (gw: ReturnType<typeof testGateway>, headers: Record<string, string>) =>
    gw.gateway.request("/events", { method: "OPTIONS", headers });

  it("grants any origin by default, echoing it, with no rate limit", async () => {
    const response = await handshake(testGateway(), {
      "WebHook-Request-Origin": "eventgrid.azure.net",
      "WebHook-Request-Rate": "120",
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("webhook-allowed-origin")).toBe("eventgrid.azure.net");
    expect(response.headers.get("webhook-allowed-rate")).toBe("*");
    expect(response.headers.get("allow")).toContain("POST");
  });

  it("grants the configured rate, never more than requested", async () => {
    const gw = testGateway({
      ingest: { webhook: { allowedOrigins: ["eventgrid.azure.net"], allowedRate: 100 } },
    });
    const lower = await handshake(gw, {
      "WebHook-Request-Origin": "EventGrid.Azure.net",
      "WebHook-Request-Rate": "30",
    });
    expect(lower.headers.get("webhook-allowed-rate")).toBe("30");
    const higher = await handshake(gw, {
      "WebHook-Request-Origin": "eventgrid.azure.net",
      "WebHook-Request-Rate": "500",
    });
    expect(higher.headers.get("webhook-allowed-rate")).toBe("100");
    const none = await handshake(gw, { "WebHook-Request-Origin": "eventgrid.azure.net" });
    expect(none.headers.get("webhook-allowed-rate")).toBe("100");
  });

  it("refuses an origin that is not allowed with 403", async () => {
    const gw = testGateway({ ingest: { webhook: { allowedOrigins: ["eventgrid.azure.net"] } } });
    const response = await handshake(gw, { "WebHook-Request-Origin": "evil.example" });
    expect(response.status).toBe(403);
    expect(response.headers.get("webhook-allowed-origin")).toBeNull();
    expect((await problemOf(response)).code).toBe("origin-not-allowed");
  });

  it("answers a plain OPTIONS with 204 and Allow", async () => {
    const response = await handshake(testGateway(), {});
    expect(response.status).toBe(204);
    expect(response.headers.get("allow")).toBe("POST, OPTIONS");
  });
});
