/**
 * Admin tokens stored as SHA-256: every listed token works (rotation), one
 * taken out of the list stops working, the deprecated plain `admin.token`
 * still works, and each admin write leaves an audit line naming the token's
 * id, never the token.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createMemoryAdapter } from "../../adapters/memory/index.js";
import { ConfigError } from "../../src/config/config-error.js";
import { configWarnings } from "../../src/config/config-warnings.js";
import type { AdminConfig } from "../../src/config/gateway-config.js";
import { parseConfig } from "../../src/config/parse-config.js";
import { nodeTargets } from "../../src/entries/node/targets.js";
import { createAdminApp } from "../../src/http/admin-app.js";
import { createGateway } from "../../src/http/create-gateway.js";
import { auditLog } from "../../src/observe/audit-log.js";
import type { Logger } from "../../src/observe/log-observer.js";

const OLD_TOKEN = "admin-token-old-0123456789abcdef";
const NEW_TOKEN = "admin-token-new-fedcba9876543210";
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

interface LogLine {
  readonly level: string;
  readonly fields: Record<string, unknown>;
  readonly message: string;
}

function capturingLogger(lines: LogLine[]): Logger {
  const write = (level: string) => (fields: object, message: string) =>
    lines.push({ level, fields: fields as Record<string, unknown>, message });
  return { debug: write("debug"), info: write("info"), warn: write("warn") };
}

function adminWith(credentials: Pick<AdminConfig, "tokens" | "token">) {
  const lines: LogLine[] = [];
  const gateway = createGateway(
    { routes: [{ name: "all", to: ["memory"] }] },
    { targets: { memory: createMemoryAdapter() } },
  );
  let reloads = 0;
  const app = createAdminApp({
    gateway,
    credentials,
    audit: auditLog(capturingLogger(lines)),
    reload: async () => {
      reloads++;
      return 1 + reloads;
    },
  });
  const call = (path: string, method: string, token?: string) =>
    app.request(path, {
      method,
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    }) as Promise<Response>;
  return { call, lines, reloads: () => reloads };
}

const BOTH = [
  { id: "ops-2026-01", sha256: sha256(OLD_TOKEN) },
  { id: "ops-2026-07", sha256: sha256(NEW_TOKEN) },
];

describe("admin tokens", () => {
  it("accepts every listed token, and each write is audited with its id", async () => {
    const admin = adminWith({ tokens: BOTH });
    expect((await admin.call("/status", "GET", OLD_TOKEN)).status).toBe(200);
    expect((await admin.call("/status", "GET", NEW_TOKEN)).status).toBe(200);
    expect((await admin.call("/reload", "POST", OLD_TOKEN)).status).toBe(200);
    expect((await admin.call("/reload", "POST", NEW_TOKEN)).status).toBe(200);
    expect(admin.reloads()).toBe(2);

    const audit = admin.lines.filter((line) => line.fields.audit === true);
    // Reads are not audited: two writes, two lines.
    expect(audit.map((line) => line.fields.principal)).toEqual(["ops-2026-01", "ops-2026-07"]);
    expect(audit[0]).toMatchObject({
      level: "info",
      fields: { audit: true, method: "POST", path: "/reload", query: "", resource: "reload", status: 200 },
    });
    const written = JSON.stringify(admin.lines);
    expect(written).not.toContain(OLD_TOKEN);
    expect(written).not.toContain(NEW_TOKEN);
  });

  it("refuses a token taken out of the list with the admin's 401, and audits the attempt", async () => {
    const admin = adminWith({ tokens: [BOTH[1] as (typeof BOTH)[number]] });
    expect((await admin.call("/status", "GET", NEW_TOKEN)).status).toBe(200);
    for (const token of [OLD_TOKEN, undefined, "", sha256(NEW_TOKEN)]) {
      const refused = await admin.call("/reload", "POST", token);
      expect(refused.status).toBe(401);
      expect(refused.headers.get("content-type")).toBe("application/problem+json");
      expect(refused.headers.get("www-authenticate")).toContain("Bearer");
      expect((await refused.json()).code).toBe("unauthorized");
    }
    expect(admin.reloads()).toBe(0);
    const audit = admin.lines.filter((line) => line.fields.audit === true);
    expect(audit).toHaveLength(4);
    for (const line of audit)
      expect(line.fields).toMatchObject({ principal: "unauthenticated", status: 401 });
    expect(JSON.stringify(admin.lines)).not.toContain(OLD_TOKEN);
  });

  it("redacts secret query parameters in the audit line", async () => {
    const admin = adminWith({ tokens: BOTH });
    const leaked = "query-secret-value-0123456789";
    await admin.call(`/reload?access_token=${leaked}&dry=1`, "POST", NEW_TOKEN);
    const [line] = admin.lines.filter((l) => l.fields.audit === true);
    expect(line?.fields.query).toBe("?access_token=[redacted]&dry=1");
    expect(JSON.stringify(admin.lines)).not.toContain(leaked);
  });

  it("still accepts the deprecated plain admin.token, audited as admin.token", async () => {
    const admin = adminWith({ token: OLD_TOKEN });
    expect((await admin.call("/reload", "POST", OLD_TOKEN)).status).toBe(200);
    expect((await admin.call("/reload", "POST", NEW_TOKEN)).status).toBe(401);
    const audit = admin.lines.filter((line) => line.fields.audit === true);
    expect(audit.map((line) => line.fields.principal)).toEqual(["admin.token", "unauthenticated"]);
    expect(JSON.stringify(admin.lines)).not.toContain(OLD_TOKEN);
  });

  it("accepts tokens and the deprecated token side by side while moving to tokens", async () => {
    const admin = adminWith({ token: OLD_TOKEN, tokens: [BOTH[1] as (typeof BOTH)[number]] });
    expect((await admin.call("/status", "GET", OLD_TOKEN)).status).toBe(200);
    expect((await admin.call("/status", "GET", NEW_TOKEN)).status).toBe(200);
  });
});

describe("the admin section of the config", () => {
  const parse = (admin: string) => parseConfig(`admin: ${admin}\n`, { catalog: nodeTargets });
  const issuesOf = (admin: string) => {
    try {
      parse(admin);
    } catch (error) {
      if (error instanceof ConfigError) return error.issues.map((i) => `${i.path}: ${i.message}`);
      throw error;
    }
    return [];
  };

  it("takes tokens, with no warning", () => {
    const config = parse(`{ port: 9091, tokens: [{ id: a, sha256: "${sha256("x")}" }] }`);
    expect(config.admin?.tokens).toEqual([{ id: "a", sha256: sha256("x") }]);
    expect(configWarnings(config)).toEqual([]);
  });

  it("takes the deprecated token, with a warning that does not quote it", () => {
    const config = parse(`{ port: 9091, token: "${OLD_TOKEN}" }`);
    const warnings = configWarnings(config);
    expect(warnings).toEqual([expect.objectContaining({ path: "admin.token" })]);
    expect(JSON.stringify(warnings)).not.toContain(OLD_TOKEN);
  });

  it("refuses an admin listener with no token, a hash that is not SHA-256 hex, and a repeated id", () => {
    expect(issuesOf("{ port: 9091 }")).toEqual([expect.stringMatching(/^admin: needs tokens/)]);
    expect(issuesOf(`{ port: 9091, tokens: [{ id: a, sha256: "${NEW_TOKEN}" }] }`)).toEqual([
      expect.stringMatching(/^admin\.tokens\[0\]\.sha256: must match pattern/),
    ]);
    expect(
      issuesOf(
        `{ port: 9091, tokens: [{ id: a, sha256: "${sha256("x")}" }, { id: a, sha256: "${sha256("y")}" }] }`,
      ),
    ).toEqual(['admin.tokens[1].id: duplicate admin token id "a"']);
  });
});
