import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { createMemoryAdapter } from "../../adapters/memory/index.js";
import { createGateway, type GatewayReport } from "../../src/index.js";
import { binaryHeaders } from "../support/gateway.js";

describe("createGateway as a library", () => {
  it("mounts under a user's own Hono app", async () => {
    const recent = createMemoryAdapter();
    const gateway = createGateway({ routes: [{ name: "all", to: ["recent"] }] }, { targets: { recent } });
    const app = new Hono();
    app.get("/", (c) => c.text("my service"));
    app.route("/ingest", gateway);

    expect(await (await app.request("/")).text()).toBe("my service");
    const response = await app.request("/ingest/events", { method: "POST", headers: binaryHeaders() });
    expect(response.status).toBe(202);
    expect(recent.events().map((s) => s.event.attributes.id)).toEqual(["evt-1"]);
    expect((await app.request("/ingest/healthz")).status).toBe(200);
    await gateway.close();
  });

  it("refuses a route naming an unknown target when created", () => {
    expect(() => createGateway({ routes: [{ name: "r", to: ["nowhere"] }] })).toThrow(
      /routes\[0\]\.to\[0\]: unknown target "nowhere"/,
    );
  });

  it("reports every stage to the observer", async () => {
    const reports: GatewayReport[] = [];
    const gateway = createGateway(
      { routes: [{ name: "all", to: ["m"] }] },
      { targets: { m: createMemoryAdapter() }, observer: { report: (r) => reports.push(r) } },
    );
    await gateway.request("/events", { method: "POST", headers: binaryHeaders() });
    await gateway.request("/events", { method: "POST", headers: binaryHeaders({ "ce-id": "" }) });
    expect(reports.map((r) => r.stage)).toEqual([
      "received",
      "routed",
      "delivered",
      "accepted",
      "received",
      "rejected",
    ]);
    expect(reports.find((r) => r.stage === "accepted")).toMatchObject({ count: 1 });
    const delivered = reports.find((r) => r.stage === "delivered");
    expect(delivered).toMatchObject({ target: "m", eventId: "evt-1", outcome: { status: "acked" } });
    const rejected = reports.at(-1);
    expect(rejected).toMatchObject({ status: 400, code: "invalid-event" });
  });

  it("keeps serving when an observer throws", async () => {
    const gateway = createGateway(
      { routes: [{ name: "all", to: ["m"] }] },
      {
        targets: { m: createMemoryAdapter() },
        observer: {
          report() {
            throw new Error("observer bug");
          },
        },
      },
    );
    const response = await gateway.request("/events", { method: "POST", headers: binaryHeaders() });
    expect(response.status).toBe(202);
  });
});
