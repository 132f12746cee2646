/**
 * OPTIONS /events: the CloudEvents webhook abuse-protection handshake
 * (http-webhook.md section 4), as Azure Event Grid performs it before it
 * delivers. Granted synchronously, so a callback URL is never needed.
 */

import type { WebhookConfig } from "../config/gateway-config.js";
import { GatewayError } from "../errors/errors.js";
import { problemResponse } from "../errors/problem-response.js";

const ALLOW = "POST, OPTIONS";

export function webhookHandshake(config: WebhookConfig = {}) {
  const allowedOrigins = (config.allowedOrigins ?? ["*"]).map((o) => o.toLowerCase());
  const anyOrigin = allowedOrigins.includes("*");

  return function handleHandshake(request: Request): Response {
    const origin = request.headers.get("webhook-request-origin")?.trim();
    if (origin === undefined || origin === "") {
      return new Response(null, { status: 204, headers: { allow: ALLOW } });
    }
    if (!anyOrigin && !allowedOrigins.includes(origin.toLowerCase())) {
      return problemResponse(
        new GatewayError("origin-not-allowed", `Origin "${origin}" may not deliver here`),
      );
    }
    const headers = new Headers({ allow: ALLOW, "webhook-allowed-origin": origin });
    const requested = Number(request.headers.get("webhook-request-rate"));
    const requestedRate = Number.isInteger(requested) && requested > 0 ? requested : undefined;
    if (config.allowedRate !== undefined) {
      headers.set(
        "webhook-allowed-rate",
        String(Math.min(config.allowedRate, requestedRate ?? config.allowedRate)),
      );
    } else {
      // No limit configured: "*" grants any rate (MUST answer when a rate was requested, SHOULD otherwise).
      headers.set("webhook-allowed-rate", "*");
    }
    return new Response(null, { status: 200, headers });
  };
}
