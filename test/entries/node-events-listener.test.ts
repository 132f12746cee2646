/**
 * The Node server's own path for POST /events (src/entries/node/events-listener.ts):
 * it must answer exactly as the Hono app does, and keep the promises the web
 * path keeps (413 cut off while reading, a client that leaves aborts delivery,
 * everything else still served by the app).
 */
import { once } from "node:events";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createMemoryAdapter } from "../../adapters/memory/index.js";
import { retriable } from "../../src/adapter/adapter.js";
import { createGateway } from "../../src/entries/node/create-gateway.js";
import { gatewayListener } from "../../src/entries/node/events-listener.js";
import { binaryHeaders, STRUCTURED, structuredEvent } from "../support/gateway.js";
import { scriptedAdapter } from "../support/scripted-adapter.js";

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function listening(gateway: ReturnType<typeof createGateway>): Promise<string> {
  const server = createServer(gatewayListener(gateway));
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function memoryGateway(config = {}) {
  const memory = createMemoryAdapter();
  const gateway = createGateway(
    { routes: [{ name: "all", to: ["memory"] }], ...config },
    { targets: { memory }, newId: () => "req-1" },
  );
  return { gateway, memory };
}

/** What a client sees of a response, minus what differs between servers by nature (date, connection). */
async function seen(response: Response) {
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    requestId: response.headers.get("x-request-id"),
    retryAfter: response.headers.get("retry-after"),
    body: await response.text(),
  };
}

const cases: [string, Record<string, string>, string][] = [
  ["structured", STRUCTURED, JSON.stringify(structuredEvent({ data: { n: 1 } }))],
  ["binary", binaryHeaders({ "content-type": "application/json" }), '{"n":1}'],
  ["batch", { "content-type": "application/cloudevents-batch+json" }, JSON.stringify([structuredEvent()])],
  ["invalid event (400)", STRUCTURED, JSON.stringify(structuredEvent({ id: "" }))],
  ["unsupported media type (415)", { "content-type": "application/cloudevents+xml" }, "<x/>"],
  ["malformed JSON (400)", STRUCTURED, "{"],
];

describe("POST /events through node:http", () => {
  it.each(cases)("answers a %s request exactly as the app does", async (_, headers, body) => {
    const viaServer = memoryGateway();
    const viaApp = memoryGateway();
    const url = await listening(viaServer.gateway);
    const served = await fetch(`${url}/events`, { method: "POST", headers, body });
    const app = await viaApp.gateway.request("/events", { method: "POST", headers, body });
    expect(await seen(served)).toEqual(await seen(app));
    expect(viaServer.memory.events().map((e) => e.event)).toEqual(viaApp.memory.events().map((e) => e.event));
  });

  it("reads binary-mode extensions in the same order as the app", async () => {
    const viaServer = memoryGateway();
    const viaApp = memoryGateway();
    const url = await listening(viaServer.gateway);
    const headers = binaryHeaders({ "ce-zeta": "z", "ce-alpha": "a", "ce-mid": "m" });
    await fetch(`${url}/events`, { method: "POST", headers, body: "" });
    await viaApp.gateway.request("/events", { method: "POST", headers, body: "" });
    const order = (m: typeof viaApp.memory) => [...(m.events()[0]?.event.extensions.keys() ?? [])];
    expect(order(viaServer.memory)).toEqual(["alpha", "mid", "zeta"]);
    expect(order(viaServer.memory)).toEqual(order(viaApp.memory));
  });

  it("takes a query string on /events and leaves every other route to the app", async () => {
    const { gateway, memory } = memoryGateway();
    const url = await listening(gateway);
    const posted = await fetch(`${url}/events?from=test`, {
      method: "POST",
      headers: STRUCTURED,
      body: JSON.stringify(structuredEvent()),
    });
    expect(posted.status).toBe(202);
    expect(memory.events()).toHaveLength(1);
    const get = await fetch(`${url}/events`);
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST, OPTIONS");
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/nowhere`, { method: "POST" })).status).toBe(404);
  });

  it("refuses an endless body with 413 once past the limit, then closes that connection", async () => {
    const { gateway, memory } = memoryGateway({ server: { maxBodyBytes: 1024 } });
    const url = new URL(await listening(gateway));
    const outcome = await new Promise<{ status: number; body: string; closed: boolean }>(
      (resolve, reject) => {
        const req = httpRequest({
          host: url.hostname,
          port: url.port,
          path: "/events",
          method: "POST",
          headers: STRUCTURED, // no content-length: chunked, so only reading can find the size
        });
        const chunk = Buffer.alloc(512, 0x20);
        const pump = setInterval(() => req.write(chunk), 5);
        req.on("error", reject);
        req.on("response", (res) => {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (text: string) => {
            body += text;
          });
          res.on("end", () => {
            req.socket?.once("close", () => {
              clearInterval(pump);
              resolve({ status: res.statusCode ?? 0, body, closed: true });
            });
          });
        });
        req.write(chunk);
      },
    );
    expect(outcome.status).toBe(413);
    expect(JSON.parse(outcome.body).code).toBe("payload-too-large");
    expect(outcome.closed).toBe(true);
    expect(memory.events()).toHaveLength(0);
    const next = await fetch(`${url.origin}/events`, {
      method: "POST",
      headers: STRUCTURED,
      body: JSON.stringify(structuredEvent()),
    });
    expect(next.status).toBe(202);
  });

  it("aborts delivery when the client goes away, reports it once as such, and keeps serving", async () => {
    let sawAbort: (reason: unknown) => void = () => {};
    const aborted = new Promise((resolve) => {
      sawAbort = resolve;
    });
    const slow = scriptedAdapter(
      (_, { signal }) =>
        new Promise((resolve) =>
          signal.addEventListener("abort", () => {
            sawAbort(signal.reason);
            resolve(retriable("aborted"));
          }),
        ),
    );
    const stages: string[] = [];
    const gateway = createGateway(
      { routes: [{ name: "all", to: ["slow"] }] },
      { targets: { slow }, observer: { report: (r) => stages.push(r.stage) } },
    );
    const url = new URL(await listening(gateway));
    const req = httpRequest({
      host: url.hostname,
      port: url.port,
      path: "/events",
      method: "POST",
      headers: STRUCTURED,
    });
    req.on("error", () => {});
    req.end(JSON.stringify(structuredEvent()));
    await expect.poll(() => slow.calls.length).toBe(1);
    req.destroy();
    expect(String((await aborted) as Error)).toMatch(/client went away/);
    // Reported once as the client leaving, not as a target's delivery failure.
    await expect.poll(() => stages).toContain("client-gone");
    expect(stages).not.toContain("delivery-failed");
    expect((await fetch(`${url.origin}/healthz`)).status).toBe(200);
  });
});

describe("POST to a source's path through node:http", () => {
  const SOURCES = {
    ingest: {
      sources: [
        {
          path: "/hooks/orders",
          type: "json",
          maxBodyBytes: 64,
          event: { type: "'com.example.order'", source: "'/shop'", id: "body.id", channel: "query.channel" },
        },
      ],
    },
  };
  const sourceCases: [string, string, string][] = [
    ["an order with a query string", "/hooks/orders?channel=web", '{"id": "o-1"}'],
    ["an order that cannot be mapped (400)", "/hooks/orders", '{"other": 1}'],
    ["a body past the source's limit (413)", "/hooks/orders", JSON.stringify({ id: "x".repeat(100) })],
    ["a path with escapes", "/hooks/%6Frders", '{"id": "o-2"}'],
    ["a path no source has (404, from the app)", "/hooks/nothing", "{}"],
  ];

  it.each(sourceCases)("answers %s exactly as the app does", async (_, path, body) => {
    const viaServer = memoryGateway(SOURCES);
    const viaApp = memoryGateway(SOURCES);
    const url = await listening(viaServer.gateway);
    const init = { method: "POST", headers: { "content-type": "application/json" }, body };
    const served = await fetch(`${url}${path}`, init);
    const app = await viaApp.gateway.request(path, init);
    expect(await seen(served)).toEqual(await seen(app));
    expect(viaServer.memory.events().map((e) => e.event)).toEqual(viaApp.memory.events().map((e) => e.event));
  });

  it("follows a reload to the new paths", async () => {
    const { gateway, memory } = memoryGateway(SOURCES);
    const url = await listening(gateway);
    gateway.reload({ routes: [{ name: "all", to: ["memory"] }] });
    const response = await fetch(`${url}/hooks/orders`, { method: "POST", body: '{"id": "o-1"}' });
    expect(response.status).toBe(404);
    expect(memory.events()).toEqual([]);
  });
});
