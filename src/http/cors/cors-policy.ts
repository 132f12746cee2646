/**
 * One path's CORS policy, compiled from its `cors` section: the answer to a
 * preflight, and the headers every answer to an actual request carries.
 *
 * Written here rather than with hono/cors: that middleware answers every
 * OPTIONS as a preflight (the webhook handshake shares OPTIONS on /events),
 * never refuses an origin, reflects every requested header or none (not just
 * `ce-*` ones), and would not run on the Node server's fast path for POST,
 * which bypasses the Hono app.
 */
import type { HeaderReader } from "../../bindings/http/header-reader.js";
import { type CorsConfig, DEFAULT_ALLOW_HEADERS, DEFAULT_EXPOSE_HEADERS } from "./cors-config.js";

/** A CloudEvents attribute header (`ce-` and the attribute name's a-z0-9). */
const CLOUD_EVENT_HEADER = /^ce-[a-z0-9]+$/;

export type CorsVerdict =
  /** Answer with these headers added. */
  | { readonly kind: "allowed"; readonly headers: Readonly<Record<string, string>> }
  /** The origin may not post here: 403, with only `vary` (browsers then block the page). */
  | { readonly kind: "refused"; readonly origin: string; readonly headers: Readonly<Record<string, string>> };

export class CorsPolicy {
  readonly #anyOrigin: boolean;
  readonly #origins: ReadonlySet<string>;
  readonly #allowHeaders: readonly string[];
  readonly #cloudEventHeaders: boolean;
  readonly #exposeHeaders: string;
  readonly #maxAge: string | undefined;
  readonly #credentials: boolean;

  /** The config is checked first (compile-cors.ts): origins are canonical, `*` never has credentials. */
  constructor(config: CorsConfig) {
    this.#anyOrigin = config.allowOrigins.includes("*");
    this.#origins = new Set(config.allowOrigins);
    this.#allowHeaders = [
      ...new Set((config.allowHeaders ?? DEFAULT_ALLOW_HEADERS).map((h) => h.toLowerCase())),
    ];
    this.#cloudEventHeaders = config.allowCloudEventHeaders ?? true;
    this.#exposeHeaders = (config.exposeHeaders ?? DEFAULT_EXPOSE_HEADERS)
      .map((h) => h.toLowerCase())
      .join(", ");
    this.#maxAge = config.maxAgeSeconds === undefined ? undefined : String(config.maxAgeSeconds);
    this.#credentials = config.allowCredentials ?? false;
  }

  /** A preflight is an OPTIONS with `Origin` and `Access-Control-Request-Method`. */
  static isPreflight(headers: HeaderReader): boolean {
    return headers.get("origin") !== null && headers.get("access-control-request-method") !== null;
  }

  /** The answer to a preflight (see isPreflight). */
  preflight(headers: HeaderReader): CorsVerdict {
    const vary = { vary: "origin, access-control-request-headers, access-control-request-method" };
    const origin = headers.get("origin") ?? "";
    if (!this.#allows(origin)) return { kind: "refused", origin, headers: vary };
    const granted = [...this.#allowHeaders];
    if (this.#cloudEventHeaders) {
      for (const name of requestedHeaders(headers)) {
        if (CLOUD_EVENT_HEADER.test(name) && !granted.includes(name)) granted.push(name);
      }
    }
    return {
      kind: "allowed",
      headers: {
        ...this.#originHeaders(origin),
        "access-control-allow-methods": "POST",
        ...(granted.length > 0 && { "access-control-allow-headers": granted.join(", ") }),
        ...(this.#maxAge !== undefined && { "access-control-max-age": this.#maxAge }),
        ...vary,
      },
    };
  }

  /** The headers for the answer to an actual request; refused when it comes from an origin not allowed. */
  forRequest(headers: HeaderReader): CorsVerdict {
    const vary = { vary: "origin" };
    const origin = headers.get("origin");
    // Not from a browser page (or a same-origin GET): nothing to grant.
    if (origin === null) return { kind: "allowed", headers: vary };
    if (!this.#allows(origin)) return { kind: "refused", origin, headers: vary };
    return {
      kind: "allowed",
      headers: {
        ...this.#originHeaders(origin),
        ...(this.#exposeHeaders !== "" && { "access-control-expose-headers": this.#exposeHeaders }),
        ...vary,
      },
    };
  }

  /** Exact comparison: browsers send the origin serialized (lowercase scheme and host, no default port). */
  #allows(origin: string): boolean {
    return this.#anyOrigin || this.#origins.has(origin);
  }

  #originHeaders(origin: string): Record<string, string> {
    return {
      "access-control-allow-origin": this.#anyOrigin ? "*" : origin,
      ...(this.#credentials && { "access-control-allow-credentials": "true" }),
    };
  }
}

function requestedHeaders(headers: HeaderReader): string[] {
  const list = headers.get("access-control-request-headers") ?? "";
  return list
    .split(",")
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== "");
}
