/**
 * The decode stage: reads a request's body within the size limit and turns
 * it into raw events by the CloudEvents HTTP binding (src/bindings/http),
 * the batch limit enforced while scanning.
 */
import { type DecodedRequest, decodeHttpRequest } from "../bindings/http/decode.js";
import { DEFAULT_JSON_LIMITS, type JsonLimits } from "../codec/json-limits.js";
import type { IngressRequest } from "./ingress-request.js";

export interface IngressLimits {
  /** A longer body gets 413 (server.maxBodyBytes), cut off while reading. */
  readonly maxBodyBytes: number;
  /** A batch with more events gets 413 (server.maxBatchEvents). */
  readonly maxBatchEvents?: number;
  /** JSON nesting and string limits (server.maxJsonDepth, server.maxJsonStringBytes); absent: the defaults. */
  readonly jsonLimits?: JsonLimits;
}

export async function decodeRequest(request: IngressRequest, limits: IngressLimits): Promise<DecodedRequest> {
  const body = await request.readBody(limits.maxBodyBytes);
  return decodeHttpRequest(request.headers, body, {
    maxBatchEvents: limits.maxBatchEvents,
    json: limits.jsonLimits ?? DEFAULT_JSON_LIMITS,
  });
}
