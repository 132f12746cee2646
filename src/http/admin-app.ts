/**
 * The admin listener's app: route explain, reload, status, dead-letter
 * replay and the metrics scrape, behind bearer
 * tokens stored as SHA-256 (several, so one can be rotated while another
 * works). Every write is audited with the token's id. It runs on its own
 * port, so nothing here is reachable from the ingest listener.
 */
import { Hono } from "hono";
import { digestSecret, HashedSecrets } from "../auth/hashed-secrets.js";
import { encodeHex } from "../codec/hex.js";
import { ConfigError, formatIssue } from "../config/config-error.js";
import type { AdminConfig } from "../config/gateway-config.js";
import { createConsoleApp, type SchemaExample } from "../console/console-app.js";
import type { LiveTail } from "../console/live-tail.js";
import { DEFAULT_REPLAY_LIMIT, MAX_REPLAY_LIMIT, replayDeadLetters } from "../deliver/dead-letter/replay.js";
import { GatewayError } from "../errors/errors.js";
import { asGatewayError, problemResponse } from "../errors/problem-response.js";
import { type AuditSink, isAdminWrite } from "../observe/audit-log.js";
import { redactQuery } from "../observe/redact.js";
import { type LogLevelControl, logLevelApi } from "./admin-log-level.js";
import { type Gateway, redactedStatus, withDeliveryStatus } from "./create-gateway.js";
import { explainRequest } from "./explain-request.js";
import { redactResponse } from "./redacted-replies.js";
import { type RegistryApiOptions, registryApi } from "./registry-api.js";
import { requestIdHeader } from "./request-id-header.js";

export interface AdminOptions {
  readonly gateway: Gateway;
  /** The admin section of the config: `tokens`, or the deprecated `token`. */
  readonly credentials: Pick<AdminConfig, "tokens" | "token">;
  /** Receives one entry per admin write (POST, PUT, PATCH, DELETE). */
  readonly audit?: AuditSink;
  /** Re-reads the config source and reloads; absent when there is nothing to re-read. */
  readonly reload?: () => Promise<number>;
  /** The schema registry API, when a registry is configured. */
  readonly registry?: RegistryApiOptions;
  /** GET and PUT /log-level, when the entry's logger can change level while running. */
  readonly logLevel?: LogLevelControl;
  /** The web console under /console (src/console), fed by this live tail; absent: no console. */
  readonly console?: {
    readonly tail: LiveTail;
    readonly examples?: (type: string) => Promise<readonly SchemaExample[]>;
  };
  /** A Prometheus scrape (text format), served at GET /metrics; the entry that keeps metrics supplies it. */
  readonly metrics?: () => Promise<{ readonly contentType: string; readonly body: string }>;
}

/** The principal the deprecated plain-text `admin.token` is audited as. */
export const LEGACY_TOKEN_ID = "admin.token";

async function adminTokens(credentials: AdminOptions["credentials"]): Promise<HashedSecrets<string>> {
  const entries = (credentials.tokens ?? []).map((t) => ({ sha256: t.sha256, value: t.id }));
  if (credentials.token !== undefined) {
    entries.push({ sha256: encodeHex(await digestSecret(credentials.token)), value: LEGACY_TOKEN_ID });
  }
  return new HashedSecrets(entries);
}

/** The principal of an audited write whose token matched none. */
export const UNAUTHENTICATED = "unauthenticated";

/** The path below the admin root, without its leading slash: what an audit line says was acted on. */
function resourceOf(path: string): string {
  return path.replace(/^\/+/, "") || "/";
}

export function createAdminApp(options: AdminOptions): Hono {
  const app = new Hono();
  app.use(
    "*",
    requestIdHeader(() => crypto.randomUUID()),
  );
  const tokens = adminTokens(options.credentials);
  const secrets = options.gateway.secrets;
  // The console signs in with the same tokens, then uses its own session cookie: mounted before the bearer check.
  if (options.console !== undefined) {
    // A typed or bookmarked trailing slash lands on the console, not on the bearer check's 401.
    app.get("/console/", (c) => c.redirect("/console", 301));
    app.route(
      "/console",
      createConsoleApp({
        gateway: options.gateway,
        tail: options.console.tail,
        matchToken: async (token) => (await tokens).match(token),
        ...(options.audit && { audit: options.audit }),
        ...(options.registry && { registry: options.registry }),
        ...(options.console.examples && { examples: options.console.examples }),
      }),
    );
  }
  app.use("*", async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim() ?? "";
    const principal = token === "" ? undefined : await (await tokens).match(token);
    if (principal === undefined) {
      c.res = problemResponse(
        new GatewayError("unauthorized", "Send an admin token as Authorization: Bearer <token>", {
          headers: { "www-authenticate": 'Bearer realm="ce-gateway-admin"' },
        }),
      );
    } else {
      await next();
      c.res = await redactResponse(c.res, secrets);
    }
    // Refused writes are audited too: an attempt with a wrong or revoked token is worth a line.
    if (options.audit !== undefined && isAdminWrite(c.req.method)) {
      const url = new URL(c.req.url);
      options.audit({
        principal: principal ?? UNAUTHENTICATED,
        method: c.req.method,
        path: url.pathname,
        query: redactQuery(url.search),
        resource: resourceOf(url.pathname),
        status: c.res.status,
      });
    }
    return c.res;
  });

  app.post("/routes/explain", async (c) => c.json(await explainRequest(options.gateway, c.req.raw)));

  app.post("/reload", async (c) => {
    if (options.reload === undefined) {
      return problemResponse(new GatewayError("not-found", "This gateway has no config file to reload"));
    }
    try {
      return c.json({ generation: await options.reload() });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      const failures = error.issues.map((issue) => ({
        pointer: issue.path,
        code: "invalid-config",
        detail: secrets.text(formatIssue(issue)),
      }));
      return problemResponse(
        new GatewayError("invalid-config", "The config is invalid; the current one stays", { failures }),
      );
    }
  });

  if (options.registry !== undefined) app.route("/", registryApi(options.registry));
  if (options.logLevel !== undefined) app.route("/", logLevelApi(options.logLevel));

  // Re-drives a dead-letter target's events to the targets that refused them (src/deliver/dead-letter/replay.ts).
  app.post("/deadletters/:target/replay", async (c) => {
    const written = c.req.query("limit");
    const limit = written === undefined ? DEFAULT_REPLAY_LIMIT : Number(written);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_REPLAY_LIMIT) {
      return problemResponse(
        new GatewayError("malformed-body", `limit must be an integer from 1 to ${MAX_REPLAY_LIMIT}`, {
          failures: [{ code: "invalid-limit", detail: `query parameter limit: got ${written}` }],
        }),
      );
    }
    return c.json(await replayDeadLetters(options.gateway.state, c.req.param("target"), limit));
  });

  app.get("/status", async (c) => {
    const state = options.gateway.state;
    return c.json({
      generation: state.generation,
      targets: withDeliveryStatus(
        redactedStatus(await state.targets.status(), secrets),
        options.gateway.guards,
      ),
    });
  });

  const { metrics } = options;
  if (metrics !== undefined) {
    app.get("/metrics", async (c) => {
      const scrape = await metrics();
      return c.body(scrape.body, 200, { "content-type": scrape.contentType, "cache-control": "no-store" });
    });
  }

  app.notFound((c) => problemResponse(new GatewayError("not-found", `No admin resource at ${c.req.path}`)));
  app.onError((thrown) => problemResponse(asGatewayError(thrown)));
  return app;
}
