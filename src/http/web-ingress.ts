/**
 * The events pipeline over web objects: a `Request` as an IngressRequest,
 * a GatewayReply as a `Response` (for Hono, Workers and any fetch handler).
 */
import type { IngressRequest } from "../decode/ingress-request.js";
import { readBodyLimited } from "../decode/read-body.js";
import type { GatewayReply } from "../respond/reply.js";

export function requestIngress(request: Request): IngressRequest {
  return {
    headers: request.headers,
    readBody: (maxBytes) => readBodyLimited(request, maxBytes),
    signal: request.signal,
    // A getter: only sources read it, and a Request serializes its URL on each read.
    get url() {
      return request.url;
    },
  };
}

export const replyResponse = (reply: GatewayReply): Response =>
  new Response(reply.body, { status: reply.status, headers: reply.headers });
