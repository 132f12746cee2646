/**
 * The console's actions over HTTP, against a real `ce-gateway serve`:
 * re-drive and schema registration refused 403 without the CSRF token or
 * from another origin, explain answering as the admin API does, and the
 * bearer-token admin API unchanged (a session cookie does not open it).
 */
import { describe, expect, it } from "vitest";
import { consoleGatewayForFile } from "../support/console-client.js";
import { CONSOLE_TOKEN, ORDER_TYPE } from "../support/console-gateway.js";

const { gw, admin, signIn } = consoleGatewayForFile();

describe("console actions", () => {
  it("refuses a re-drive without the CSRF token or from another origin, and runs it with both", async () => {
    // The receiver refuses until accept(): the order is dead-lettered, so there is something to re-drive.
    expect(await gw().post({ id: "redrive-1" })).toBe(202);
    const { cookie, csrf } = await signIn();
    const replay = (headers: Record<string, string>) =>
      admin("/console/api/deadletters/dlq/replay", { method: "POST", headers: { cookie, ...headers } });
    const without = await replay({});
    expect(without.status).toBe(403);
    expect((await without.json()).code).toBe("forbidden");
    expect((await replay({ "x-csrf-token": "0".repeat(64) })).status).toBe(403);
    expect((await replay({ "x-csrf-token": csrf, origin: "https://evil.example" })).status).toBe(403);
    gw().accept();
    const done = await replay({ "x-csrf-token": csrf, origin: gw().adminUrl });
    expect(done.status).toBe(200);
    const report = await done.json();
    expect(report.from).toBe("dlq");
    expect(report.listed).toBeGreaterThan(0);
    expect(report.delivered).toBe(report.listed);
  });

  it("registers a schema version only with the CSRF token", async () => {
    const { cookie, csrf } = await signIn();
    const body = JSON.stringify({ type: "object", properties: { orderId: { type: "integer" } } });
    const register = (headers: Record<string, string>) =>
      admin(`/console/api/schemas/${ORDER_TYPE}/versions`, {
        method: "POST",
        headers: { cookie, ...headers },
        body,
      });
    expect((await register({})).status).toBe(403);
    const done = await register({ "x-csrf-token": csrf });
    expect(done.status).toBe(201);
    expect((await done.json()).versionid).toBe("3");
  });

  it("explains an event as the admin API does", async () => {
    const { cookie, csrf } = await signIn();
    const event = { specversion: "1.0", id: "x-1", source: "/audit/a", type: "com.example.order.paid" };
    const response = await admin("/console/api/explain", {
      method: "POST",
      headers: { cookie, "x-csrf-token": csrf, "content-type": "application/cloudevents+json" },
      body: JSON.stringify(event),
    });
    expect(response.status).toBe(200);
    const [explanation] = (await response.json()).explanations;
    expect(explanation.routes.map((r: { route: string; matched: boolean }) => [r.route, r.matched])).toEqual([
      ["orders", true],
      ["audit", true],
    ]);
  });

  it("leaves the bearer-token admin API as it was, and a session cookie does not open it", async () => {
    const { cookie } = await signIn();
    const status = await admin("/status", { headers: { authorization: `Bearer ${CONSOLE_TOKEN}` } });
    expect(status.status).toBe(200);
    expect(Object.keys((await status.json()).targets)).toEqual(["out", "shop", "dlq"]);
    expect((await admin("/status", { headers: { cookie } })).status).toBe(401);
  });
});

// Last: it stops the gateway.
