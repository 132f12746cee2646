/**
 * Routing and the Event Grid target in the Worker wrangler builds: routes
 * filtered by a type prefix and by a CESQL expression send each event to the
 * HTTP paths their filters say, an event no route matches gets 422 no-route,
 * a route's transform (JSONata) reshapes what it sends within its step budget,
 * and events routed to Event Grid (REST, its access key a Worker secret)
 * reach the local Event Grid as a CloudEvents batch.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allAttributes } from "../../src/event/cloud-event.js";
import { received } from "../support/eventgrid-fixtures.js";
import { type FakeEventGrid, startFakeEventGrid } from "../support/fake-eventgrid.js";
import { STRUCTURED } from "../support/gateway.js";
import { type HttpReceiver, startHttpReceiver } from "../support/http-receiver.js";
import {
  runBuiltWorker,
  type WranglerBuild,
  workerProblem,
  wranglerBuild,
} from "../support/wrangler-build.js";

const EG_KEY = "worker-secret-key";

const CONFIG = `version: 1
targets:
  orders: { type: http, url: "\${env:HOOK_URL}/orders", mode: structured }
  eu-large: { type: http, url: "\${env:HOOK_URL}/eu-large", mode: structured }
  grid:
    type: eventgrid
    api: rest
    endpoint: "\${env:EG_URL}/api/events"
    key: "\${env:EG_KEY}"
    allowInsecure: true
routes:
  - name: orders
    filters: [{ prefix: { type: com.example.order. } }]
    to: [orders]
  - name: eu-large
    filters: [{ sql: "source LIKE '/shop/eu/%' AND amount > 100" }]
    to: [eu-large]
  - name: grid
    filters: [{ exact: { type: com.example.grid.notice } }]
    to: [grid]
  - name: reshaped
    filters: [{ exact: { type: com.example.reshape } }]
    to: [orders]
    transform:
      attributes: { type: "'com.example.reshaped'", subject: "data.customer.id" }
      data: "{ 'order': data.orderId }"
  - name: costly
    filters: [{ exact: { type: com.example.costly } }]
    to: [orders]
    transform: { attributes: { total: "$sum([1..50000].($ * 2))" } }
`;

let receiver: HttpReceiver;
let grid: FakeEventGrid;
let build: WranglerBuild;
const workers: Miniflare[] = [];

async function worker(bindings: Record<string, string>): Promise<Miniflare> {
  const mf = await runBuiltWorker(build.outdir, { bindings });
  workers.push(mf);
  return mf;
}

const settings = () => ({ HOOK_URL: receiver.url, EG_URL: grid.url, EG_KEY });

const post = (mf: Miniflare, event: Record<string, unknown>) =>
  mf.dispatchFetch("http://gateway/events", {
    method: "POST",
    headers: STRUCTURED,
    body: JSON.stringify({ specversion: "1.0", ...event }),
  });

/** The ids of the events the receiver got at `path` (structured mode: the id is in the body). */
const idsAt = (path: string) =>
  receiver.requests
    .filter((r) => r.path === path)
    .map((r) => (JSON.parse(new TextDecoder().decode(r.body)) as { id: string }).id);

beforeAll(async () => {
  [receiver, grid] = await Promise.all([startHttpReceiver(), startFakeEventGrid({ key: EG_KEY })]);
  const dir = mkdtempSync(join(tmpdir(), "ce-gateway-wrangler-routing-"));
  writeFileSync(join(dir, "gateway.yaml"), CONFIG);
  build = await wranglerBuild({ gatewayConfig: join(dir, "gateway.yaml") });
}, 180_000);

afterAll(async () => {
  await Promise.all(workers.map((mf) => mf.dispose()));
  await Promise.all([receiver?.close(), grid?.close()]);
});

describe("routes with filters, in the Worker wrangler builds", () => {
  let mf: Miniflare;
  beforeAll(async () => {
    mf = await worker(settings());
  });

  it("keeps the secret out of the bundle: the key stays a placeholder", () => {
    expect(build.text).toContain("${env:EG_KEY}");
    expect(build.text).not.toContain(EG_KEY);
  });

  it.each([
    {
      what: "a type with the prefix, to the orders path only",
      event: { id: "r-1", source: "/shop/us/1", type: "com.example.order.created", amount: 500 },
      at: ["/orders"],
    },
    {
      what: "an event the CESQL expression matches, to the eu-large path only",
      event: { id: "r-2", source: "/shop/eu/7", type: "com.example.refund.issued", amount: 250 },
      at: ["/eu-large"],
    },
    {
      what: "an event both filters match, to both paths",
      event: { id: "r-3", source: "/shop/eu/8", type: "com.example.order.created", amount: 101 },
      at: ["/orders", "/eu-large"],
    },
  ])("sends $what", async ({ event, at }) => {
    const response = await post(mf, event);
    expect(response.status, await response.clone().text()).toBe(202);
    for (const path of ["/orders", "/eu-large"]) {
      if (at.includes(path)) expect(idsAt(path)).toContain(event.id);
      else expect(idsAt(path)).not.toContain(event.id);
    }
  });

  it.each([
    ["a type no prefix matches, from elsewhere", { source: "/shop/us/2", type: "com.example.refund.issued" }],
    ["the CESQL expression false (amount too small)", { source: "/shop/eu/9", type: "x", amount: 100 }],
    ["the CESQL expression in error (amount missing)", { source: "/shop/eu/9", type: "x" }],
  ])("refuses an event no route matches with 422 no-route: %s", async (_, attributes) => {
    const before = receiver.requests.length;
    const response = await post(mf, { id: "r-4", ...attributes });
    expect(response.status).toBe(422);
    const problem = await workerProblem(response);
    expect(problem.type).toBe("urn:ce-gateway:problem:no-route");
    expect(problem.errors).toContainEqual(expect.objectContaining({ code: "no-route" }));
    expect(receiver.requests.length).toBe(before);
  });
});

describe("route transforms in the Worker wrangler builds", () => {
  let mf: Miniflare;
  beforeAll(async () => {
    mf = await worker(settings());
  });

  it("sends the event the transform makes", async () => {
    const response = await post(mf, {
      id: "t-1",
      source: "/shop/eu/1",
      type: "com.example.reshape",
      data: { orderId: 1001, customer: { id: "c-7" } },
    });
    expect(response.status, await response.clone().text()).toBe(202);
    const sent = receiver.requests.filter((r) => r.path === "/orders").at(-1);
    expect(JSON.parse(new TextDecoder().decode(sent?.body))).toEqual({
      specversion: "1.0",
      id: "t-1",
      source: "/shop/eu/1",
      type: "com.example.reshaped",
      datacontenttype: "application/json",
      subject: "c-7",
      data: { order: 1001 },
    });
  });

  it("counts evaluation steps in workerd too: a request that spends its budget gets 422", async () => {
    const response = await post(mf, { id: "t-2", source: "/shop/eu/1", type: "com.example.costly" });
    expect(response.status).toBe(422);
    const problem = await workerProblem(response);
    expect(problem.type).toBe("urn:ce-gateway:problem:transform-failed");
    expect(problem.errors).toContainEqual(
      expect.objectContaining({ route: "costly", code: "transform-budget-exceeded" }),
    );
  });
});

describe("an Event Grid target (REST) in the Worker wrangler builds, its key a Worker secret", () => {
  it("answers 202 and the local Event Grid receives the event as a CloudEvents batch, with the key", async () => {
    const mf = await worker(settings());
    const before = grid.requests.length;
    const response = await post(mf, {
      id: "g-1",
      source: "/notices",
      type: "com.example.grid.notice",
      datacontenttype: "application/json",
      data: { text: "hello" },
    });
    expect(response.status, await response.clone().text()).toBe(202);
    const [request, ...more] = grid.requests.slice(before);
    expect(more).toEqual([]);
    expect(request?.headers["content-type"]).toMatch(/^application\/cloudevents-batch\+json/);
    expect(request?.headers["aeg-sas-key"]).toBe(EG_KEY);
    expect(Array.isArray(JSON.parse(request?.body ?? ""))).toBe(true);
    const event = received(grid).at(-1)?.event;
    expect(event && Object.fromEntries(allAttributes(event))).toEqual({
      specversion: "1.0",
      id: "g-1",
      source: "/notices",
      type: "com.example.grid.notice",
      datacontenttype: "application/json",
    });
    expect(event?.data?.json()).toEqual({ text: "hello" });
    // Routed by the exact filter only: nothing went to the HTTP paths.
    expect([...idsAt("/orders"), ...idsAt("/eu-large")]).not.toContain("g-1");
  });

  it("answers 502 target-refused when Event Grid refuses the key the secret holds", async () => {
    const mf = await worker({ ...settings(), EG_KEY: "not-the-key" });
    const before = grid.requests.length;
    const response = await post(mf, { id: "g-2", source: "/notices", type: "com.example.grid.notice" });
    expect(response.status, await response.clone().text()).toBe(502);
    const problem = await workerProblem(response);
    expect(problem.type).toBe("urn:ce-gateway:problem:target-refused");
    expect(problem.errors).toContainEqual(expect.objectContaining({ target: "grid" }));
    expect(grid.requests.length).toBe(before);
  });

  it("answers 503 deployment-incomplete naming the secret when the Worker lacks it", async () => {
    const { EG_KEY: _, ...withoutKey } = settings();
    const mf = await worker(withoutKey);
    const response = await post(mf, { id: "g-3", source: "/notices", type: "com.example.grid.notice" });
    expect(response.status).toBe(503);
    const problem = await workerProblem(response);
    expect(problem.type).toBe("urn:ce-gateway:problem:deployment-incomplete");
    expect(JSON.stringify(problem)).toContain("EG_KEY");
  });
});
