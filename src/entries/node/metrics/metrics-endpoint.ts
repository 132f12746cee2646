/**
 * GET /metrics on the main listener (`server.metrics`), for a Prometheus
 * that cannot reach the admin port: answered before the gateway sees the
 * request, only with the configured bearer token. The token is compared as
 * SHA-256 digests in constant time, so the comparison's timing tells nothing
 * of how much of it matched.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { RequestListener } from "node:http";
import { GatewayError } from "../../../errors/errors.js";
import { problemReply } from "../../../errors/problem-response.js";
import { writeReply } from "../events-listener.js";
import type { PrometheusMetrics } from "./prometheus-metrics.js";

export interface MetricsEndpointConfig {
  /** Where the scrape is answered; default /metrics. */
  readonly path?: string;
  /** The bearer token Prometheus sends (`authorization.credentials` in its scrape config). */
  readonly token: string;
}

export const DEFAULT_METRICS_PATH = "/metrics";

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest();

/** Whether an Authorization header carries the token, compared in constant time. */
export function bearerMatches(header: string | undefined, expected: Buffer): boolean {
  const token = /^Bearer\s+(.+)$/i.exec(header ?? "")?.[1]?.trim() ?? "";
  return timingSafeEqual(sha256(token), expected);
}

/** `listener` with the scrape in front of it at the configured path. */
export function withMetricsEndpoint(
  listener: RequestListener,
  metrics: PrometheusMetrics,
  config: MetricsEndpointConfig,
): RequestListener {
  const path = config.path ?? DEFAULT_METRICS_PATH;
  const expected = sha256(config.token);
  return (request, response) => {
    const url = request.url ?? "/";
    const query = url.indexOf("?");
    if (
      (query === -1 ? url : url.slice(0, query)) !== path ||
      (request.method !== "GET" && request.method !== "HEAD")
    ) {
      listener(request, response);
      return;
    }
    if (!bearerMatches(request.headers.authorization, expected)) {
      const refused = new GatewayError(
        "unauthorized",
        "Send the metrics token as Authorization: Bearer <token>",
        {
          headers: { "www-authenticate": 'Bearer realm="ce-gateway-metrics"' },
        },
      );
      writeReply(request, response, problemReply(refused));
      return;
    }
    metrics.scrape().then(
      (scrape) =>
        writeReply(request, response, {
          status: 200,
          headers: { "content-type": scrape.contentType, "cache-control": "no-store" },
          body: request.method === "HEAD" ? "" : scrape.body,
        }),
      (error: unknown) =>
        writeReply(
          request,
          response,
          problemReply(new GatewayError("internal", "The metrics could not be collected", { cause: error })),
        ),
    );
  };
}
