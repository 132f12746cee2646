/**
 * CORS for browser producers: which web pages' origins may post events to a
 * path, and what their requests may carry. `cors` at the top level is the
 * default for /events and every source's path; a source's own `cors`
 * replaces it for that path (`false` turns CORS off there).
 */
export interface CorsConfig {
  /** Exact origins (`https://app.example.com`, scheme, host and port) or `["*"]` for any. */
  readonly allowOrigins: readonly string[];
  /** Request header names a page may send; default: content-type, authorization. */
  readonly allowHeaders?: readonly string[];
  /** Whether requested `ce-*` headers (binary-mode attributes) are granted by name; default: true. */
  readonly allowCloudEventHeaders?: boolean;
  /** Response headers the page may read; default: retry-after, location, x-request-id. */
  readonly exposeHeaders?: readonly string[];
  /** How long a browser may cache a preflight's answer. */
  readonly maxAgeSeconds?: number;
  /** Whether the page may send cookies or HTTP auth (`credentials: "include"`); never with `*`. */
  readonly allowCredentials?: boolean;
}

export const DEFAULT_ALLOW_HEADERS: readonly string[] = ["content-type", "authorization"];
export const DEFAULT_EXPOSE_HEADERS: readonly string[] = ["retry-after", "location", "x-request-id"];
