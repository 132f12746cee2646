/** The JSON Schema of the `auth` section (part of the config schema). */
import type { JsonSchema } from "../adapter/adapter.js";
import { JWT_ALGORITHMS } from "./jwt/jwt-algorithms.js";

export const grantsSchema: JsonSchema = {
  type: "object",
  additionalProperties: false,
  description:
    "What the credential may publish; an absent list grants everything of its kind, an empty one nothing.",
  properties: {
    sources: { type: "array", items: { type: "string" }, description: "Prefixes of the `source` attribute." },
    types: {
      type: "array",
      items: { type: "string", minLength: 1 },
      description: "Patterns of `type`; `*` matches any run of characters.",
    },
    paths: {
      type: "array",
      items: { type: "string", pattern: "^/" },
      description: "Gateway paths it may post to (/events, a source's path).",
    },
  },
};

/** The `auth.jwt` scheme's options (a JWT-checking source reuses them). */
export const jwtSchema: JsonSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    jwksUrl: {
      type: "string",
      description:
        "The issuer's JWKS (https; http only for localhost); keys cached up to 10 minutes, fetched again on an unknown kid at most every 30 seconds.",
    },
    keys: {
      type: "array",
      items: { type: "object", required: ["kty"] },
      description: "Static public keys (JWK), tried before the JWKS.",
    },
    issuer: { oneOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] },
    audience: { oneOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] },
    algorithms: {
      type: "array",
      minItems: 1,
      uniqueItems: true,
      items: { enum: [...JWT_ALGORITHMS] },
      description: "Signature algorithms accepted (public-key only; default all); none and HS* never are.",
    },
    clockSkewSeconds: { type: "integer", minimum: 0, default: 30 },
    requiredClaims: { type: "object", additionalProperties: { type: ["string", "number", "boolean"] } },
    principalClaim: { type: "string", default: "sub" },
    grants: grantsSchema,
  },
};

const rateLimit: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["rate"],
  properties: {
    rate: { type: "number", exclusiveMinimum: 0, description: "Requests per second, refilled continuously." },
    burst: {
      type: "integer",
      minimum: 1,
      description: "How many may come at once (default: rate, at least 1).",
    },
  },
};

export const authSchema: JsonSchema = {
  type: "object",
  additionalProperties: false,
  description:
    "Who may publish: with this section every request to /events (and to sources that check no signature of their own) needs an API key or a JWT.",
  properties: {
    apiKeys: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["id", "sha256"],
        properties: {
          id: { type: "string", minLength: 1, description: "Names the key in logs; never secret." },
          sha256: {
            type: "string",
            pattern: "^[0-9a-f]{64}$",
            description: "The key's SHA-256 (ce-gateway auth hash).",
          },
          grants: grantsSchema,
        },
      },
    },
    jwt: jwtSchema,
    rateLimits: {
      type: "object",
      additionalProperties: false,
      properties: { perCredential: rateLimit, global: rateLimit },
    },
  },
};
