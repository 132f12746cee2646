/**
 * The admin listener's app: route explain, reload and status, behind a
 * bearer token. It runs on its own port, so nothing here is reachable from
 * the ingest listener.
 */
import { Hono } from "hono";
import { ConfigError, formatIssue } from "../config/config-error.js";
import { DEFAULT_MAX_BATCH_EVENTS, DEFAULT_MAX_BODY_BYTES } from "../config/gateway-config.js";
import { jsonLimitsOf } from "../config/json-limits-config.js";
import { decodeRequest } from "../decode/decode-request.js";
import { GatewayError } from "../errors/errors.js";
import { asGatewayError, problemResponse } from "../errors/problem-response.js";
import { normalizeEvents } from "../normalize/normalize-event.js";
import { explainRouting } from "../route/explain.js";
import type { Gateway } from "./create-gateway.js";
import { type RegistryApiOptions, registryApi } from "./registry-api.js";
import { requestIngress } from "./web-ingress.js";

export interface AdminOptions {
  readonly gateway: Gateway;
  readonly token: string;
  /** Re-reads the config source and reloads; absent when there is nothing to re-read. */
  readonly reload?: () => Promise<number>;
  /** The schema registry API, when a registry is configured. */
  readonly registry?: RegistryApiOptions;
}

const encoder = new TextEncoder();

/** Compares in time independent of where the strings differ. */
function sameSecret(given: string, expected: string): boolean {
  const a = encoder.encode(given);
  const b = encoder.encode(expected);
  let difference = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) difference |= (a[i] ?? 0) ^ (b[i] as number);
  return difference === 0;
}

export function createAdminApp(options: AdminOptions): Hono {
  const app = new Hono();
  app.use("*", async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim() ?? "";
    if (!sameSecret(token, options.token)) {
      return problemResponse(
        new GatewayError("unauthorized", "Send the admin token as Authorization: Bearer <token>", {
          headers: { "www-authenticate": 'Bearer realm="ce-gateway-admin"' },
        }),
      );
    }
    await next();
  });

  app.post("/routes/explain", async (c) => {
    const state = options.gateway.state;
    const decoded = await decodeRequest(requestIngress(c.req.raw), {
      maxBodyBytes: state.config.server?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      maxBatchEvents: state.config.server?.maxBatchEvents ?? DEFAULT_MAX_BATCH_EVENTS,
      jsonLimits: jsonLimitsOf(state.config),
    });
    const events = normalizeEvents(decoded.events);
    return c.json({
      generation: state.generation,
      explanations: await Promise.all(events.map((e) => explainRouting(e, state.routing))),
    });
  });

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
        detail: formatIssue(issue),
      }));
      return problemResponse(
        new GatewayError("invalid-config", "The config is invalid; the current one stays", { failures }),
      );
    }
  });

  if (options.registry !== undefined) app.route("/", registryApi(options.registry));

  app.get("/status", async (c) => {
    const state = options.gateway.state;
    return c.json({ generation: state.generation, targets: await state.targets.status() });
  });

  app.notFound((c) => problemResponse(new GatewayError("not-found", `No admin resource at ${c.req.path}`)));
  app.onError((thrown) => problemResponse(asGatewayError(thrown)));
  return app;
}
