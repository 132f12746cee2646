/**
 * OPTIONS on an event path serves two protocols at once: a browser's CORS
 * preflight (`Origin` + `Access-Control-Request-Method`) and, on /events,
 * the CloudEvents webhook handshake (`WebHook-Request-Origin`). A request
 * carrying both gets both sets of headers; either refusal refuses it.
 */
import { GatewayError } from "../../errors/errors.js";
import { problemResponse } from "../../errors/problem-response.js";
import { CorsPolicy } from "./cors-policy.js";
import { originRefused } from "./with-cors.js";

export interface OptionsProtocols {
  /** The path's CORS policy; absent: preflights are answered as any OPTIONS. */
  readonly cors: CorsPolicy | undefined;
  /** The webhook handshake (on /events); absent: OPTIONS alone is not served there. */
  readonly handshake: ((request: Request) => Response) | undefined;
}

const methodNotAllowed = () =>
  problemResponse(
    new GatewayError("method-not-allowed", "Send webhooks with POST", { headers: { allow: "POST" } }),
  );

export function answerOptions(request: Request, { cors, handshake }: OptionsProtocols): Response {
  const preflight =
    cors !== undefined && CorsPolicy.isPreflight(request.headers)
      ? cors.preflight(request.headers)
      : undefined;
  if (preflight?.kind === "refused") {
    const refusal = problemResponse(originRefused(preflight.origin));
    for (const [name, value] of Object.entries(preflight.headers)) refusal.headers.set(name, value);
    return refusal;
  }
  const answer =
    handshake?.(request) ??
    (preflight === undefined
      ? methodNotAllowed()
      : new Response(null, { status: 204, headers: { allow: "POST, OPTIONS" } }));
  // A refused handshake stays refused, and gets no CORS headers: the browser blocks it too.
  if (preflight === undefined || !answer.ok) return answer;
  for (const [name, value] of Object.entries(preflight.headers)) answer.headers.set(name, value);
  return answer;
}
