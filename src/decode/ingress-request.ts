/**
 * What the events pipeline needs from an HTTP request, as plain data rather
 * than a `Request`: a runtime may feed it from its own server without
 * building web objects (the Node entry reads node:http directly: building a
 * `Request` with a body stream cost about 12 µs of the 50 µs a request took
 * in the pipeline). src/http/web-ingress.ts adapts a `Request` for every
 * other caller (Hono, Workers).
 */

import type { HeaderReader } from "../bindings/http/header-reader.js";

export type { HeaderReader };

export interface IngressRequest {
  readonly headers: HeaderReader;
  /** Reads the whole body, failing with 413 past `maxBytes` (cut off while reading). */
  readBody(maxBytes: number): Promise<Uint8Array>;
  /** Aborted when the client goes away; read only when something waits on it, so it may be made lazily. */
  readonly signal: AbortSignal | undefined;
  /** The request's URL, when the server has one to give (sources read its query). */
  readonly url?: string;
}
