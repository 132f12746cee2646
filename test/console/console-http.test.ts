/**
 * The console over HTTP, against a real `ce-gateway serve`: sign-in sets a
 * session cookie with the right flags, pages and the live stream need it,
 * the stream carries each event with its routes, verdict and delivery
 * results, changes without the CSRF token or from another origin are refused
 * 403, sign-out ends the session, and the bearer-token admin API is unchanged.
 */
import { createHash } from "node:crypto";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LiveTail } from "../../src/console/live-tail.js";
import { createAdminApp } from "../../src/http/admin-app.js";
import { createGateway } from "../../src/http/create-gateway.js";
import {
  CONSOLE_TOKEN,
  type ConsoleGateway,
  ORDER_TYPE,
  startConsoleGateway,
} from "../support/console-gateway.js";

let gw: ConsoleGateway;

beforeAll(async () => {
  gw = await startConsoleGateway();
}, 60_000);
afterAll(async () => {
  await gw?.stop();
});

const admin = (path: string, init: RequestInit = {}) =>
  fetch(`${gw.adminUrl}${path}`, { redirect: "manual", ...init });

async function signIn(): Promise<{ cookie: string; setCookie: string; csrf: string }> {
  const response = await admin("/console/sign-in", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: gw.adminUrl },
    body: new URLSearchParams({ token: CONSOLE_TOKEN }),
  });
  expect(response.status).toBe(303);
  expect(response.headers.get("location")).toBe("/console");
  const setCookie = response.headers.get("set-cookie") ?? "";
  const cookie = setCookie.split(";")[0] as string;
  const page = await (await admin("/console", { headers: { cookie } })).text();
  const csrf = /name="csrf-token" content="([0-9a-f]+)"/.exec(page)?.[1] ?? "";
  return { cookie, setCookie, csrf };
}

/** Reads server-sent events from a response until `until` holds for one; returns all read. */
async function readEvents(
  response: Response,
  until: (event: { event: string; data: string }) => boolean,
  timeoutMs = 5_000,
): Promise<{ event: string; data: string }[]> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const seen: { event: string; data: string }[] = [];
  let buffer = "";
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      const timer = new Promise<undefined>((resolve) => setTimeout(resolve, deadline - Date.now()));
      const chunk = await Promise.race([reader.read(), timer]);
      if (chunk === undefined || chunk.done) break;
      buffer += decoder.decode(chunk.value, { stream: true });
      let end = buffer.indexOf("\n\n");
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf("\n\n");
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event === undefined || data === undefined) continue;
        seen.push({ event, data });
        if (until({ event, data })) return seen;
      }
    }
    return seen;
  } finally {
    await reader.cancel().catch(() => {});
  }
}

describe("console sign-in and session", () => {
  it("sends a browser without a session to sign in, and refuses a wrong token", async () => {
    const page = await admin("/console");
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe("/console/sign-in");
    const slashed = await admin("/console/");
    expect(slashed.status).toBe(301);
    expect(slashed.headers.get("location")).toBe("/console");
    const form = await admin("/console/sign-in");
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('name="token"');
    const wrong = await admin("/console/sign-in", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: "not-the-token" }),
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("set-cookie")).toBeNull();
    const stream = await admin("/console/stream");
    expect(stream.status).toBe(401);
    expect(stream.headers.get("content-type")).toBe("application/problem+json");
  });

  it("sets an HttpOnly, SameSite=Strict session cookie for /console (not Secure over http)", async () => {
    const { setCookie, csrf } = await signIn();
    expect(setCookie).toMatch(/^ce_console=[0-9a-f]{64};/);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Strict/);
    expect(setCookie).toMatch(/; Path=\/console/);
    expect(setCookie).toMatch(/; Max-Age=\d+/);
    expect(setCookie).not.toMatch(/Secure/);
    expect(csrf).toMatch(/^[0-9a-f]{64}$/);
  });

  it("marks the cookie Secure when the console is reached over https", async () => {
    // node-server serves the admin listener over http; the app itself sees the scheme of the URL it is given.
    const gateway = createGateway({ routes: [] }, { targets: {} });
    const app = createAdminApp({
      gateway,
      credentials: {
        tokens: [{ id: "t", sha256: createHash("sha256").update(CONSOLE_TOKEN).digest("hex") }],
      },
      console: { tail: new LiveTail(() => gateway.state.routing) },
    });
    const response = await app.request("https://admin.example/console/sign-in", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://admin.example" },
      body: new URLSearchParams({ token: CONSOLE_TOKEN }),
    });
    expect(response.status).toBe(303);
    expect(response.headers.get("set-cookie")).toMatch(/; Secure/);
    // Behind a TLS proxy: the app sees http, the browser's origin is the proxy's https one.
    const proxied = await app.request("http://10.0.0.5:9090/console/sign-in", {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        host: "console.example",
        "x-forwarded-proto": "https",
        origin: "https://console.example",
      },
      body: new URLSearchParams({ token: CONSOLE_TOKEN }),
    });
    expect(proxied.status).toBe(303);
    expect(proxied.headers.get("set-cookie")).toMatch(/; Secure/);
    await gateway.close();
  });

  it("refuses a sign-in form larger than a form needs, unread", async () => {
    const response = await admin("/console/sign-in", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `token=${"a".repeat(64 * 1024)}`,
    });
    expect(response.status).toBe(413);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
  });

  it("refuses a sign-in posted from another origin", async () => {
    const response = await admin("/console/sign-in", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
      body: new URLSearchParams({ token: CONSOLE_TOKEN }),
    });
    expect(response.status).toBe(403);
    expect(response.headers.get("set-cookie")).toBeNull();
  });

  it("serves pages with a strict content security policy", async () => {
    const { cookie } = await signIn();
    for (const path of ["/console", "/console/explain", "/console/schemas", "/console/targets"]) {
      const response = await admin(path, { headers: { cookie } });
      expect(response.status, path).toBe(200);
      expect(response.headers.get("content-security-policy")).toContain("script-src 'self'");
      expect(response.headers.get("cache-control")).toBe("no-store");
    }
    const schemas = await (
      await admin(`/console/schemas?type=${ORDER_TYPE}&from=1&to=2`, { headers: { cookie } })
    ).text();
    expect(schemas).toContain("Backward compatible");
    expect(schemas).toContain('class="added"');
    expect(schemas).toContain("small-order.json");
  });

  it("signs out only with the CSRF token, and the session then stops working", async () => {
    const { cookie, csrf } = await signIn();
    const forged = await admin("/console/sign-out", { method: "POST", headers: { cookie } });
    expect(forged.status).toBe(403);
    expect((await admin("/console", { headers: { cookie } })).status).toBe(200);
    const out = await admin("/console/sign-out", {
      method: "POST",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded", origin: gw.adminUrl },
      body: new URLSearchParams({ csrf }),
    });
    expect(out.status).toBe(303);
    expect(out.headers.get("location")).toBe("/console/sign-in");
    expect(out.headers.get("set-cookie")).toMatch(/^ce_console=;.*Max-Age=0/);
    expect((await admin("/console", { headers: { cookie } })).status).toBe(303);
    expect((await admin("/console/stream", { headers: { cookie } })).status).toBe(401);
  });
});

describe("console live stream", () => {
  it("streams each event with its routes, schema verdict and each target's delivery result", async () => {
    const { cookie } = await signIn();
    const stream = await admin("/console/stream", { headers: { cookie } });
    expect(stream.status).toBe(200);
    expect(stream.headers.get("content-type")).toContain("text/event-stream");
    const posted = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      return gw.post({ id: "http-stream-1", data: { orderId: 5 } });
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
      await gw.post({ id: "filter-hidden", source: "/audit/hidden" });
      await gw.post({ id: "filter-shown", source: "/audit/shown" });
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

describe("console actions", () => {
  it("refuses a re-drive without the CSRF token or from another origin, and runs it with both", async () => {
    const { cookie, csrf } = await signIn();
    const replay = (headers: Record<string, string>) =>
      admin("/console/api/deadletters/dlq/replay", { method: "POST", headers: { cookie, ...headers } });
    const without = await replay({});
    expect(without.status).toBe(403);
    expect((await without.json()).code).toBe("forbidden");
    expect((await replay({ "x-csrf-token": "0".repeat(64) })).status).toBe(403);
    expect((await replay({ "x-csrf-token": csrf, origin: "https://evil.example" })).status).toBe(403);
    gw.accept();
    const done = await replay({ "x-csrf-token": csrf, origin: gw.adminUrl });
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
describe("shutdown", () => {
  it("is not held up by a viewer still connected", async () => {
    const { cookie } = await signIn();
    const stream = await admin("/console/stream", { headers: { cookie } });
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain("event: ready");
    const started = Date.now();
    expect(await gw.cli.stop()).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
    // The stream was ended by the gateway, not left hanging.
    let done = false;
    while (!done) done = (await reader.read()).done;
  }, 20_000);
});
