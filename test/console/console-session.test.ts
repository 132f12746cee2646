/**
 * Signing in to the console over HTTP, against a real `ce-gateway serve`:
 * the session cookie's flags (Secure over https and behind a proxy), a wrong
 * token, a cross-origin or oversized sign-in refused, the pages' content
 * security policy, and sign-out ending the session.
 */

import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { LiveTail } from "../../src/console/live-tail.js";
import { createAdminApp } from "../../src/http/admin-app.js";
import { createGateway } from "../../src/http/create-gateway.js";
import { consoleGatewayForFile } from "../support/console-client.js";
import { CONSOLE_TOKEN, ORDER_TYPE } from "../support/console-gateway.js";

const { gw, admin, signIn } = consoleGatewayForFile();

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
      headers: { cookie, "content-type": "application/x-www-form-urlencoded", origin: gw().adminUrl },
      body: new URLSearchParams({ csrf }),
    });
    expect(out.status).toBe(303);
    expect(out.headers.get("location")).toBe("/console/sign-in");
    expect(out.headers.get("set-cookie")).toMatch(/^ce_console=;.*Max-Age=0/);
    expect((await admin("/console", { headers: { cookie } })).status).toBe(303);
    expect((await admin("/console/stream", { headers: { cookie } })).status).toBe(401);
  });
});
