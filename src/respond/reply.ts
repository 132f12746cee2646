/**
 * A response as data: status, headers and JSON text, so a server can write
 * it in one go without building a `Response` (Response.json cost about
 * 10 µs per request on Node). src/http/web-ingress.ts makes one for web callers.
 */
export interface GatewayReply {
  readonly status: number;
  /** Lowercase names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}
