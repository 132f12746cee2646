/**
 * CORS for browser producers, in process: preflights answered or refused,
 * CORS headers on every answer to an allowed origin (problem answers too),
 * a source's own policy, and OPTIONS shared with the webhook handshake.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { GatewayConfig } from "../../src/config/gateway-config.js";
import { parseConfig } from "../../src/config/parse-config.js";
import { nodeTargets } from "../../src/entries/node/targets.js";
import { projectRoot } from "../support/cli-process.js";
import { configIssues } from "../support/config-issues.js";
import { binaryHeaders, problemOf, testGateway } from "../support/gateway.js";

const APP = "https://app.example.com";
const KEY = "ceg_browser_5e6f7a8b9c0d1e2f";
const sha256 = (key: string) => createHash("sha256").update(key).digest("hex");

const CORS: GatewayConfig = {
  cors: { allowOrigins: [APP], maxAgeSeconds: 600 },
  auth: { apiKeys: [{ id: "browser", sha256: sha256(KEY) }] },
  ingest: {
    webhook: { allowedOrigins: ["eventgrid.azure.net"], allowedRate: 100 },
    sources: [
      { path: "/hooks/default", type: "json", event: { type: "'t.default'", source: "'/d'" } },
      {
        path: "/hooks/partner",
        type: "json",
        event: { type: "'t.partner'", source: "'/p'" },
        cors: { allowOrigins: ["https://partner.example.org"], allowHeaders: ["content-type", "x-partner"] },
      },
      { path: "/hooks/server-only", type: "json", event: { type: "'t.s'", source: "'/s'" }, cors: false },
    ],
  },
};

const preflight = (origin: string, requestHeaders = "content-type, authorization") => ({
  method: "OPTIONS",
  headers: {
    origin,
    "access-control-request-method": "POST",
    "access-control-request-headers": requestHeaders,
  },
});

const request = (gateway: ReturnType<typeof testGateway>["gateway"], path: string, init: RequestInit) =>
  gateway.request(path, init) as Promise<Response>;

describe("CORS preflight", () => {
  it("answers an allowed origin with 204 and the Access-Control headers, without a credential", async () => {
    const t = testGateway(CORS);
    const response = await request(
      t.gateway,
      "/events",
      preflight(APP, "Content-Type, Authorization, CE-SpecVersion, ce-id, ce-source, ce-type, ce-tenant"),
    );
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe(APP);
    expect(response.headers.get("access-control-allow-methods")).toBe("POST");
    expect(response.headers.get("access-control-allow-headers")?.split(", ")).toEqual([
      "content-type",
      "authorization",
      "ce-specversion",
      "ce-id",
      "ce-source",
      "ce-type",
      "ce-tenant",
    ]);
    expect(response.headers.get("access-control-max-age")).toBe("600");
    expect(response.headers.get("access-control-allow-credentials")).toBeNull();
    expect(response.headers.get("vary")).toContain("origin");
    expect(response.headers.get("webhook-allowed-origin")).toBeNull();
  });

  it("grants only ce- headers beyond the configured ones, and none when allowCloudEventHeaders is false", async () => {
    const t = testGateway(CORS);
    const granted = await request(t.gateway, "/events", preflight(APP, "ce-id, x-secret, ce-bad_name"));
    expect(granted.headers.get("access-control-allow-headers")).toBe("content-type, authorization, ce-id");

    const strict = testGateway({ cors: { allowOrigins: [APP], allowCloudEventHeaders: false } });
    const refused = await request(strict.gateway, "/events", preflight(APP, "ce-id"));
    expect(refused.status).toBe(204);
    expect(refused.headers.get("access-control-allow-headers")).toBe("content-type, authorization");
  });

  it("refuses an origin not listed with 403 origin-not-allowed and no CORS headers", async () => {
    const t = testGateway(CORS);
    for (const origin of [
      "https://evil.example.com",
      "http://app.example.com",
      "https://app.example.com:8443",
    ]) {
      const response = await request(t.gateway, "/events", preflight(origin));
      expect(response.status).toBe(403);
      expect(response.headers.get("access-control-allow-origin")).toBeNull();
      expect(response.headers.get("access-control-allow-methods")).toBeNull();
      const problem = await problemOf(response);
      expect(problem.code).toBe("origin-not-allowed");
      expect(problem.errors?.[0]).toMatchObject({ header: "origin", code: "origin-not-allowed" });
    }
  });

  it("answers any origin with * when allowOrigins is [*]", async () => {
    const t = testGateway({ cors: { allowOrigins: ["*"] } });
    const response = await request(t.gateway, "/events", preflight("https://anyone.example.net"));
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("answers a preflight as before on a gateway without cors (no CORS headers)", async () => {
    const t = testGateway();
    const response = await request(t.gateway, "/events", preflight(APP));
    expect(response.status).toBe(204);
    expect(response.headers.get("allow")).toBe("POST, OPTIONS");
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    const source = testGateway({ ingest: CORS.ingest });
    const onSource = await request(source.gateway, "/hooks/default", preflight(APP));
    expect(onSource.status).toBe(405);
    expect(onSource.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("CORS on actual requests", () => {
  it("delivers a POST from an allowed origin with Access-Control-Allow-Origin, Expose-Headers and Vary", async () => {
    const t = testGateway(CORS);
    const response = await t.post({
      headers: binaryHeaders({ origin: APP, authorization: `Bearer ${KEY}`, "content-type": "text/plain" }),
      body: "hello",
    });
    expect(response.status).toBe(202);
    expect(response.headers.get("access-control-allow-origin")).toBe(APP);
    expect(response.headers.get("access-control-expose-headers")).toBe("retry-after, location, x-request-id");
    expect(response.headers.get("vary")).toBe("origin");
    expect(t.received()).toHaveLength(1);
  });

  it("puts the CORS headers on a 401 and a 400 problem answer, so the page can read them", async () => {
    const t = testGateway(CORS);
    const unauthenticated = await t.post({ headers: binaryHeaders({ origin: APP }), body: "x" });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get("access-control-allow-origin")).toBe(APP);
    expect(unauthenticated.headers.get("vary")).toBe("origin");
    expect((await problemOf(unauthenticated)).code).toBe("unauthenticated");

    const invalid = await t.post({
      headers: { ...binaryHeaders({ origin: APP, authorization: `Bearer ${KEY}` }), "ce-specversion": "0.1" },
      body: "x",
    });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get("access-control-allow-origin")).toBe(APP);
    expect(invalid.headers.get("access-control-expose-headers")).toContain("x-request-id");
    expect((await problemOf(invalid)).code).toBe("invalid-event");
    expect(t.received()).toEqual([]);
  });

  it("refuses a POST from an origin not listed with 403 before checking the credential", async () => {
    const t = testGateway(CORS);
    const response = await t.post({
      headers: binaryHeaders({ origin: "https://evil.example.com", authorization: `Bearer ${KEY}` }),
      body: "x",
    });
    expect(response.status).toBe(403);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    expect((await problemOf(response)).code).toBe("origin-not-allowed");
    expect(t.received()).toEqual([]);
  });

  it("leaves a request without Origin (a server, not a page) as it was, adding only Vary", async () => {
    const t = testGateway(CORS);
    const response = await t.post({ headers: binaryHeaders({ authorization: `Bearer ${KEY}` }), body: "x" });
    expect(response.status).toBe(202);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    expect(response.headers.get("vary")).toBe("origin");
  });

  it("adds nothing on a gateway without cors", async () => {
    const t = testGateway();
    const response = await t.post({ headers: binaryHeaders({ origin: APP }), body: "x" });
    expect(response.status).toBe(202);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    expect(response.headers.get("vary")).toBeNull();
  });
});

describe("CORS per source", () => {
  const post = (origin: string) => ({
    method: "POST",
    headers: { origin, "content-type": "application/json", authorization: `Bearer ${KEY}` },
    body: "{}",
  });

  it("a source without its own cors uses the top-level one", async () => {
    const t = testGateway(CORS);
    const pre = await request(t.gateway, "/hooks/default", preflight(APP));
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe(APP);
    const response = await request(t.gateway, "/hooks/default", post(APP));
    expect(response.status).toBe(202);
    expect(response.headers.get("access-control-allow-origin")).toBe(APP);
  });

  it("a source's cors replaces the top-level one on its path", async () => {
    const t = testGateway(CORS);
    const partner = "https://partner.example.org";
    const pre = await request(t.gateway, "/hooks/partner", preflight(partner, "x-partner, ce-id"));
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-headers")).toBe("content-type, x-partner, ce-id");
    expect((await request(t.gateway, "/hooks/partner", preflight(APP))).status).toBe(403);
    const fromApp = await request(t.gateway, "/hooks/partner", post(APP));
    expect(fromApp.status).toBe(403);
    const fromPartner = await request(t.gateway, "/hooks/partner", post(partner));
    expect(fromPartner.status).toBe(202);
    expect(fromPartner.headers.get("access-control-allow-origin")).toBe(partner);
    // /events keeps the top-level policy.
    expect((await request(t.gateway, "/events", preflight(partner))).status).toBe(403);
  });

  it("cors: false turns CORS off on a source's path", async () => {
    const t = testGateway(CORS);
    const pre = await request(t.gateway, "/hooks/server-only", preflight(APP));
    expect(pre.status).toBe(405);
    const response = await request(t.gateway, "/hooks/server-only", post("https://evil.example.com"));
    expect(response.status).toBe(202);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("OPTIONS shared by the CORS preflight and the webhook handshake", () => {
  const handshake = { "webhook-request-origin": "eventgrid.azure.net", "webhook-request-rate": "50" };

  it("answers the handshake alone as before", async () => {
    const t = testGateway(CORS);
    const response = await request(t.gateway, "/events", { method: "OPTIONS", headers: handshake });
    expect(response.status).toBe(200);
    expect(response.headers.get("webhook-allowed-origin")).toBe("eventgrid.azure.net");
    expect(response.headers.get("webhook-allowed-rate")).toBe("50");
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("answers a request that is both with both sets of headers", async () => {
    const t = testGateway(CORS);
    const both = preflight(APP);
    const response = await request(t.gateway, "/events", {
      method: "OPTIONS",
      headers: { ...both.headers, ...handshake },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("webhook-allowed-origin")).toBe("eventgrid.azure.net");
    expect(response.headers.get("webhook-allowed-rate")).toBe("50");
    expect(response.headers.get("access-control-allow-origin")).toBe(APP);
    expect(response.headers.get("access-control-allow-methods")).toBe("POST");
  });

  it("refuses a request that is both when either origin is refused", async () => {
    const t = testGateway(CORS);
    const badHandshake = await request(t.gateway, "/events", {
      method: "OPTIONS",
      headers: { ...preflight(APP).headers, "webhook-request-origin": "elsewhere.example.com" },
    });
    expect(badHandshake.status).toBe(403);
    expect(badHandshake.headers.get("access-control-allow-origin")).toBeNull();
    const badOrigin = await request(t.gateway, "/events", {
      method: "OPTIONS",
      headers: { ...preflight("https://evil.example.com").headers, ...handshake },
    });
    expect(badOrigin.status).toBe(403);
    expect(badOrigin.headers.get("webhook-allowed-origin")).toBeNull();
  });
});

describe("CORS config check", () => {
  it("refuses * with credentials, naming the key", () => {
    const issues = configIssues('cors:\n  allowOrigins: ["*"]\n  allowCredentials: true\n');
    expect(issues).toEqual([expect.objectContaining({ path: "cors.allowCredentials", line: 3 })]);
    expect(issues[0]?.message).toContain("credentials");
  });

  it("refuses an origin not written as browsers send it, and * beside others", () => {
    const issues = configIssues(
      [
        "cors:",
        '  allowOrigins: ["https://App.example.com:443", "https://a.example.com/path", "not an origin"]',
        "ingest:",
        "  sources:",
        "    - path: /hooks/x",
        "      type: json",
        "      event: { type: \"'t'\", source: \"'/s'\" }",
        '      cors: { allowOrigins: ["*", "https://b.example.com"] }',
      ].join("\n"),
    );
    expect(issues.map((issue) => issue.path)).toEqual([
      "cors.allowOrigins[0]",
      "cors.allowOrigins[1]",
      "cors.allowOrigins[2]",
      "ingest.sources[0].cors.allowOrigins",
    ]);
    expect(issues[0]?.message).toContain('use "https://app.example.com"');
  });

  it("refuses unknown keys and header names with *", () => {
    const issues = configIssues(
      'cors:\n  allowOrigins: ["https://a.example.com"]\n  allowHeaders: ["*"]\n  origins: []\n',
    );
    expect(issues.map((issue) => issue.path).sort()).toEqual(["cors.allowHeaders[0]", "cors.origins"]);
  });

  it("refuses the same config when it is handed to the gateway directly", () => {
    expect(() => testGateway({ cors: { allowOrigins: ["*"], allowCredentials: true } })).toThrow(
      /credentials/,
    );
  });

  it("sends Access-Control-Allow-Credentials for listed origins when allowed", async () => {
    const t = testGateway({ cors: { allowOrigins: [APP], allowCredentials: true } });
    const pre = await request(t.gateway, "/events", preflight(APP));
    expect(pre.headers.get("access-control-allow-credentials")).toBe("true");
    const response = await t.post({ headers: binaryHeaders({ origin: APP }), body: "x" });
    expect(response.headers.get("access-control-allow-credentials")).toBe("true");
  });
});

describe("the README's CORS example", () => {
  it("loads as written", () => {
    const readme = readFileSync(join(projectRoot, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### CORS"));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(yaml).toContain("allowOrigins");
    const config = parseConfig(yaml ?? "", { catalog: nodeTargets, env: { GITHUB_SECRET: "s" } });
    expect(config.cors?.allowOrigins).toEqual(["https://app.example.com"]);
    expect(config.ingest?.sources?.[0]?.cors).toBe(false);
  });
});

describe("CORS on the gateway's own answers", () => {
  it("a 405 on an event path carries the CORS headers for an allowed origin", async () => {
    const t = testGateway(CORS);
    for (const path of ["/events", "/hooks/default"]) {
      const response = await request(t.gateway, path, { method: "GET", headers: { origin: APP } });
      expect(response.status).toBe(405);
      expect(response.headers.get("access-control-allow-origin")).toBe(APP);
      expect(response.headers.get("vary")).toBe("origin");
    }
    const other = await request(t.gateway, "/events", {
      method: "GET",
      headers: { origin: "https://evil.example.com" },
    });
    expect(other.status).toBe(405);
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });
});
