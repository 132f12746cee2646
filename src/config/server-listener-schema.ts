/**
 * The options of the Node listener that are about how it is reached rather
 * than what it accepts: https, and a Prometheus scrape behind its own token.
 */
import type { JsonSchema } from "../adapter/adapter.js";

export const serverTlsSchema: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["certFile", "keyFile"],
  properties: {
    certFile: { type: "string", minLength: 1, description: "The certificate chain, PEM." },
    keyFile: { type: "string", minLength: 1, description: "Its private key, PEM." },
  },
  description:
    "Node: serve https instead of http (relative paths from the config's folder; read at start, not on reload). Workers: ignored, the platform terminates TLS.",
};

export const serverMetricsSchema: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["token"],
  description:
    "Node: a Prometheus scrape on this listener, behind its own bearer token (the admin listener serves GET /metrics with an admin token whenever it is configured).",
  properties: {
    path: {
      type: "string",
      pattern: "^/[A-Za-z0-9._~/-]*$",
      // The gateway's own GET paths stay the gateway's.
      not: { enum: ["/events", "/healthz", "/readyz", "/status"] },
      default: "/metrics",
      description:
        "Where GET answers the scrape (not /events, /healthz, /readyz or /status); other methods on it go to the gateway.",
    },
    token: {
      type: "string",
      minLength: 16,
      description:
        "The bearer token Prometheus sends (authorization.credentials in its scrape config); write it as ${env:METRICS_TOKEN}.",
    },
  },
};
