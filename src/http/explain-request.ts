/**
 * Route explain for a request's events, decoded as POST /events would decode
 * them: what the admin API's POST /routes/explain and the console's explain
 * page both answer.
 */
import { DEFAULT_MAX_BATCH_EVENTS, DEFAULT_MAX_BODY_BYTES } from "../config/gateway-config.js";
import { jsonLimitsOf } from "../config/json-limits-config.js";
import { decodeRequest } from "../decode/decode-request.js";
import { normalizeEvents } from "../normalize/normalize-event.js";
import { explainRouting, type RoutingExplanation } from "../route/explain.js";
import type { Gateway } from "./create-gateway.js";
import { requestIngress } from "./web-ingress.js";

export interface ExplainAnswer {
  readonly generation: number;
  readonly explanations: readonly RoutingExplanation[];
}

/** Throws a GatewayError (400, 413, 415) when the request does not carry events. */
export async function explainRequest(gateway: Gateway, request: Request): Promise<ExplainAnswer> {
  const state = gateway.state;
  const decoded = await decodeRequest(requestIngress(request), {
    maxBodyBytes: state.config.server?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    maxBatchEvents: state.config.server?.maxBatchEvents ?? DEFAULT_MAX_BATCH_EVENTS,
    jsonLimits: jsonLimitsOf(state.config),
  });
  const events = normalizeEvents(decoded.events);
  return {
    generation: state.generation,
    explanations: gateway.secrets.value(
      await Promise.all(events.map((e) => explainRouting(e, state.routing))),
    ),
  };
}
