/**
 * The console's live stream over HTTP, against a real `ce-gateway serve`:
 * each event with its routes, schema verdict and delivery results, the
 * backlog, the CESQL filter, bearer access for scripts, a viewer leaving
 * unsubscribes, and a viewer still connected does not hold up shutdown.
 */

import { createHash } from "node:crypto";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import { describe, expect, it } from "vitest";
import { LiveTail } from "../../src/console/live-tail.js";
import { createAdminApp } from "../../src/http/admin-app.js";
import { createGateway } from "../../src/http/create-gateway.js";
import { consoleGatewayForFile, readEvents } from "../support/console-client.js";
import { CONSOLE_TOKEN, ORDER_TYPE } from "../support/console-gateway.js";

const { gw, admin, signIn } = consoleGatewayForFile();

describe("console live stream", () => {
  it("streams each event with its routes, schema verdict and each target's delivery result", async () => {
    const { cookie } = await signIn();
    const stream = await admin("/console/stream", { headers: { cookie } });
    expect(stream.status).toBe(200);
    expect(stream.headers.get("content-type")).toContain("text/event-stream");
    const posted = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      return gw().post({ id: "http-stream-1", data: { orderId: 5 } });
    })();
    const seen = await readEvents(
      stream,
      (e) => e.event === "dead-letter" && e.data.includes("http-stream-1"),
    );
    expect(await posted).toBe(202);
    expect(seen[0]?.event).toBe("ready");
    const event = JSON.parse(seen.find((e) => e.event === "event")?.data ?? "{}");
    expect(event).toMatchObject({
      id: "http-stream-1",
      type: ORDER_TYPE,
      source: "/shop",
      routes: ["orders"],
      targets: ["out", "shop"],
      verdict: { schema: `urn:console-test:${ORDER_TYPE}:2`, warnings: [] },
      event: { id: "http-stream-1", data: { orderId: 5 } },
    });
    const deliveries = seen.filter((e) => e.event === "delivery").map((e) => JSON.parse(e.data));
    expect(deliveries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ target: "out", status: "acked", attempts: 1, index: 0 }),
        expect.objectContaining({ target: "shop", status: "terminal", index: 0 }),
      ]),
    );
    const shop = deliveries.find((d) => d.target === "shop");
    expect(shop.error).toMatch(/400/);
    expect(typeof shop.durationMs).toBe("number");
    const deadLetter = JSON.parse(seen.find((e) => e.event === "dead-letter")?.data ?? "{}");
    expect(deadLetter).toMatchObject({ target: "shop", deadLetter: "dlq", status: "acked" });
    // The targets page lists what the dead letter holds, with why it was refused.
    const targets = await (await admin("/console/targets", { headers: { cookie } })).text();
    expect(targets).toMatch(
      /<td>http-stream-1<\/td><td>com.example.order.created<\/td><td>shop<\/td><td>1<\/td><td>[^<]*400/,
    );
  });

  it("can be read with the admin bearer token instead of a cookie (scripts, the CLI)", async () => {
    const stream = await admin("/console/stream?recent=0", {
      headers: { authorization: `Bearer ${CONSOLE_TOKEN}` },
    });
    expect(stream.status).toBe(200);
    expect((await readEvents(stream, (e) => e.event === "ready"))[0]?.event).toBe("ready");
    const wrong = await admin("/console/stream", { headers: { authorization: "Bearer nope" } });
    expect(wrong.status).toBe(401);
    // Only the stream: pages and actions still need a session.
    const page = await admin("/console", { headers: { authorization: `Bearer ${CONSOLE_TOKEN}` } });
    expect(page.status).toBe(303);
  });

  it("starts with the recent backlog, unless asked for only what passes from now", async () => {
    const { cookie } = await signIn();
    const readyOf = async (path: string) => {
      const [ready] = await readEvents(
        await admin(path, { headers: { cookie } }),
        (e) => e.event === "ready",
      );
      return JSON.parse(ready?.data ?? "{}");
    };
    // The previous test's event passed while it watched: it is in the backlog.
    expect((await readyOf("/console/stream")).backlog).toBeGreaterThan(0);
    expect((await readyOf("/console/stream?recent=0")).backlog).toBe(0);
  });

  it("filters by CESQL on the server, and answers 400 naming the sql parameter when it does not parse", async () => {
    const { cookie } = await signIn();
    const sql = encodeURIComponent("source = '/audit/shown'");
    const stream = await admin(`/console/stream?sql=${sql}`, { headers: { cookie } });
    const posted = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      await gw().post({ id: "filter-hidden", source: "/audit/hidden" });
      await gw().post({ id: "filter-shown", source: "/audit/shown" });
    })();
    const seen = await readEvents(stream, (e) => e.event === "event" && e.data.includes("filter-shown"));
    await posted;
    const ids = seen.filter((e) => e.event === "event").map((e) => JSON.parse(e.data).id);
    expect(ids).toContain("filter-shown");
    expect(ids).not.toContain("filter-hidden");

    const bad = await admin(`/console/stream?sql=${encodeURIComponent("source = = 1")}`, {
      headers: { cookie },
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors[0]).toMatchObject({ query: "sql", code: "invalid-cesql" });
  });
});

describe("a viewer leaving", () => {
  it("unsubscribes its stream", async () => {
    const gateway = createGateway({ routes: [] }, { targets: {} });
    const tail = new LiveTail(() => gateway.state.routing);
    const sha256 = createHash("sha256").update(CONSOLE_TOKEN).digest("hex");
    const app = createAdminApp({
      gateway,
      credentials: { tokens: [{ id: "t", sha256 }] },
      console: { tail },
    });
    const server = createAdaptorServer({ fetch: app.fetch });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const signedIn = await fetch(`${base}/console/sign-in`, {
        method: "POST",
        redirect: "manual",
        body: new URLSearchParams({ token: CONSOLE_TOKEN }),
      });
      const cookie = (signedIn.headers.get("set-cookie") ?? "").split(";")[0] as string;
      const stream = await fetch(`${base}/console/stream`, { headers: { cookie } });
      expect((await readEvents(stream, (e) => e.event === "ready"))[0]?.event).toBe("ready");
      // readEvents cancelled the body: the server hears the socket close and unsubscribes.
      await expect.poll(() => tail.watching, { timeout: 5_000 }).toBe(0);
    } finally {
      if ("closeAllConnections" in server) server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await gateway.close();
    }
  });
});

describe("shutdown", () => {
  it("is not held up by a viewer still connected", async () => {
    const { cookie } = await signIn();
    const stream = await admin("/console/stream", { headers: { cookie } });
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain("event: ready");
    const started = Date.now();
    expect(await gw().cli.stop()).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
    // The stream was ended by the gateway, not left hanging.
    let done = false;
    while (!done) done = (await reader.read()).done;
  }, 20_000);
});
