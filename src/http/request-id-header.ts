/**
 * Every answer carries `x-request-id`, not only the pipeline's: a 404, a 405,
 * /status and the admin listener's answers too, so an operator can quote one
 * id for any response. The pipeline names its own (the id its log lines
 * carry); any other answer gets the id the request sent, when usable, or a
 * new one.
 */
import type { MiddlewareHandler } from "hono";
import { requestIdOf } from "../context/request-context.js";

export function requestIdHeader(newId: () => string): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (c.res.headers.has("x-request-id")) return;
    const id = requestIdOf(c.req.raw.headers, newId);
    try {
      c.res.headers.set("x-request-id", id);
    } catch {
      // A response whose headers are immutable (one passed through from a fetch): copied with the header.
      const headers = new Headers(c.res.headers);
      headers.set("x-request-id", id);
      c.res = new Response(c.res.body, { status: c.res.status, statusText: c.res.statusText, headers });
    }
  };
}
