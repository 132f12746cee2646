/** The JSON Schema of a `cors` section (top level, and per source). */
import type { JsonSchema } from "../../adapter/adapter.js";

// An HTTP field name (RFC 9110 token) without `*`: browsers need each header named.
const headerName = { type: "string", pattern: "^[A-Za-z0-9!#$%&'+.^_`|~-]+$" };

export const corsSchema: JsonSchema = {
  type: "object",
  description:
    "CORS for web pages that post events from a browser: preflights (OPTIONS) are answered and every answer to an allowed origin, errors included, carries the Access-Control-* headers.",
  additionalProperties: false,
  required: ["allowOrigins"],
  properties: {
    allowOrigins: {
      type: "array",
      minItems: 1,
      items: { type: "string", minLength: 1 },
      description:
        'Exact origins (scheme://host[:port], as browsers send them: https://app.example.com) or ["*"] for any. A request from any other origin is refused with 403 origin-not-allowed.',
    },
    allowHeaders: {
      type: "array",
      items: headerName,
      default: ["content-type", "authorization"],
      description: "Request headers a page may send (ce-* headers are granted by allowCloudEventHeaders).",
    },
    allowCloudEventHeaders: {
      type: "boolean",
      default: true,
      description:
        "Grant each ce-<attribute> header a preflight asks for (binary-mode CloudEvents), by name.",
    },
    exposeHeaders: {
      type: "array",
      items: headerName,
      default: ["retry-after", "location", "x-request-id"],
      description: "Response headers the page may read.",
    },
    maxAgeSeconds: {
      type: "integer",
      minimum: 0,
      description: "How long a browser may reuse a preflight's answer (Access-Control-Max-Age).",
    },
    allowCredentials: {
      type: "boolean",
      default: false,
      description:
        'Let pages send cookies or HTTP authentication (fetch credentials: "include"); not with allowOrigins ["*"].',
    },
  },
};

/** A source's `cors`: its own section, or false for none on its path. */
export const sourceCorsSchema: JsonSchema = {
  description: "This source's CORS, in place of the top-level cors section; false: none on this path.",
  oneOf: [corsSchema, { const: false }],
};
