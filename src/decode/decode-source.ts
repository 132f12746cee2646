/**
 * The decode stage for a source's path: reads the body within the source's
 * limit and lets the source turn it into raw events (checking the sender
 * first), or answer on its own (a ping).
 */
import { DEFAULT_JSON_LIMITS } from "../codec/json-limits.js";
import type { Source } from "../sources/source.js";
import { queryObject } from "../sources/source-input.js";
import type { IngressLimits } from "./decode-request.js";
import type { RequestDecoder } from "./decoded.js";

export function sourceDecoder(source: Source, limits: IngressLimits): RequestDecoder {
  const label = `source:${source.type}`;
  return async (request, ctx, pathParams) => {
    const body = await request.readBody(source.maxBodyBytes ?? limits.maxBodyBytes);
    const outcome = await source.decode({
      path: source.path,
      pathParams,
      headers: request.headers,
      query: queryObject(request.url === undefined ? "" : new URL(request.url).search),
      body,
      maxEvents: limits.maxBatchEvents ?? Number.POSITIVE_INFINITY,
      jsonLimits: limits.jsonLimits ?? DEFAULT_JSON_LIMITS,
      receivedAt: ctx.receivedAt,
    });
    if (outcome.kind === "reply") {
      return {
        kind: "reply",
        reply: {
          status: outcome.status,
          headers: { "content-type": "application/json" },
          body: JSON.stringify(outcome.body),
        },
      };
    }
    return { kind: "events", label, batch: outcome.batch, events: outcome.events };
  };
}
