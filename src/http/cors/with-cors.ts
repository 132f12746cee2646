/**
 * CORS around a path's pipeline: a request from an origin the path does not
 * allow is refused before credentials are checked or the body is read; every
 * other answer, problem answers included, carries the path's CORS headers
 * (a browser hides an answer without them from the page, errors too).
 */
import type { IngressRequest } from "../../decode/ingress-request.js";
import { GatewayError } from "../../errors/errors.js";
import { problemReply } from "../../errors/problem-response.js";
import type { Observer } from "../../observe/observer.js";
import type { GatewayReply } from "../../respond/reply.js";
import type { PathParams } from "../../sources/source-path.js";
import type { CorsPolicy } from "./cors-policy.js";

/** `pathParams`: a templated source path's parts, as the request filled them in. */
export type PathHandler = (request: IngressRequest, pathParams?: PathParams) => Promise<GatewayReply>;

export function originRefused(origin: string): GatewayError {
  return new GatewayError("origin-not-allowed", `Origin "${origin}" may not post here`, {
    failures: [
      { header: "origin", code: "origin-not-allowed", detail: `${origin} is not in cors.allowOrigins` },
    ],
  });
}

/** Adds CORS headers to a reply's own; `vary` is merged, not replaced. */
export function withHeaders(reply: GatewayReply, added: Readonly<Record<string, string>>): GatewayReply {
  const headers: Record<string, string> = { ...reply.headers, ...added };
  const vary = reply.headers.vary;
  if (vary !== undefined && added.vary !== undefined) headers.vary = `${vary}, ${added.vary}`;
  return { ...reply, headers };
}

export function withCors(
  policy: CorsPolicy | undefined,
  handler: PathHandler,
  observer: Observer,
): PathHandler {
  if (policy === undefined) return handler;
  return async (request, pathParams) => {
    const verdict = policy.forRequest(request.headers);
    if (verdict.kind === "refused") {
      const error = originRefused(verdict.origin);
      observer.report({
        stage: "rejected",
        ctx: undefined,
        status: error.status,
        code: error.code,
        detail: error.message,
        failures: error.failures,
        failuresOmitted: 0,
      });
      return withHeaders(problemReply(error), verdict.headers);
    }
    return withHeaders(await handler(request, pathParams), verdict.headers);
  };
}

/** The same headers on an answer the app makes itself (405 on an event path), when its origin is allowed. */
export function withCorsResponse(
  policy: CorsPolicy | undefined,
  request: Request,
  response: Response,
): Response {
  if (policy === undefined) return response;
  const verdict = policy.forRequest(request.headers);
  if (verdict.kind === "allowed")
    for (const [name, value] of Object.entries(verdict.headers)) response.headers.set(name, value);
  else response.headers.append("vary", "origin");
  return response;
}
