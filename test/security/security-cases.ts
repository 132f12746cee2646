/**
 * The requests the security end-to-end test sends to every runtime and what
 * each must be answered: one config with API keys, grants and an unsigned and
 * a signed source, delivering to an HTTP receiver.
 */
import { createHash, createHmac } from "node:crypto";

const sha256 = (key: string) => createHash("sha256").update(key).digest("hex");

export const BILLING_KEY = "ceg_billing_e2e_5b7d1f3a9c";
export const OPS_KEY = "ceg_ops_e2e_2c4e6a8b0d";
const HOOK_SECRET = "hook-secret-e2e";

export const SECURITY_CONFIG = `version: 1
targets:
  hook: { type: http, url: "\${env:HOOK_URL}/secured", mode: structured }
routes:
  - name: all
    to: [hook]
auth:
  apiKeys:
    - id: billing
      sha256: "${sha256(BILLING_KEY)}"
      grants:
        sources: ["/billing"]
        types: ["com.example.billing.*"]
        paths: ["/events", "/hooks/plain"]
    - id: ops
      sha256: "${sha256(OPS_KEY)}"
ingest:
  sources:
    - path: /hooks/plain
      type: json
      event: { type: "'com.example.billing.plain'", source: "'/billing'", id: "body.id" }
    - path: /hooks/other
      type: json
      event: { type: "'com.example.billing.other'", source: "'/billing'", id: "body.id" }
    - path: /hooks/signed
      type: hmac
      header: x-signature
      secrets: ["\${env:HOOK_SECRET}"]
      event: { type: "'com.example.signed'", source: "'/signed'", id: "body.id" }
`;

export const securitySettings = (hookUrl: string): Record<string, string> => ({
  HOOK_URL: hookUrl,
  HOOK_SECRET,
});

export interface SecurityCase {
  readonly name: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly status: number;
  /** The problem's `code`, for a refusal. */
  readonly code?: string;
  /** The JSON pointer of the failure the problem names, for a 403 on an attribute. */
  readonly pointer?: string;
  /** How many events reach the receiver. */
  readonly delivered: number;
}

let sequence = 0;
const nextId = () => `sec-${Date.now()}-${++sequence}`;

const structured = (attributes: Record<string, unknown>) =>
  JSON.stringify({ specversion: "1.0", id: nextId(), data: { n: 1 }, ...attributes });
const billing = (overrides: Record<string, unknown> = {}) =>
  structured({ source: "/billing/eu", type: "com.example.billing.invoiced", ...overrides });
const STRUCTURED = { "content-type": "application/cloudevents+json" };
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** Built per test run, so every event has a fresh id. */
export function securityCases(): SecurityCase[] {
  const signedBody = JSON.stringify({ id: nextId() });
  return [
    {
      name: "no credential",
      path: "/events",
      headers: STRUCTURED,
      body: billing(),
      status: 401,
      code: "unauthenticated",
      delivered: 0,
    },
    {
      name: "a wrong key",
      path: "/events",
      headers: { ...STRUCTURED, ...bearer("ceg_not_a_key") },
      body: billing(),
      status: 401,
      code: "unauthenticated",
      delivered: 0,
    },
    {
      name: "a key as Bearer",
      path: "/events",
      headers: { ...STRUCTURED, ...bearer(BILLING_KEY) },
      body: billing(),
      status: 202,
      delivered: 1,
    },
    {
      name: "a key as access_token",
      path: `/events?access_token=${BILLING_KEY}`,
      headers: STRUCTURED,
      body: billing(),
      status: 202,
      delivered: 1,
    },
    {
      name: "a source outside the grant",
      path: "/events",
      headers: { ...STRUCTURED, ...bearer(BILLING_KEY) },
      body: billing({ source: "/shipping" }),
      status: 403,
      code: "forbidden",
      pointer: "/source",
      delivered: 0,
    },
    {
      name: "a type outside the grant",
      path: "/events",
      headers: { ...STRUCTURED, ...bearer(BILLING_KEY) },
      body: billing({ type: "com.example.shipping.sent" }),
      status: 403,
      code: "forbidden",
      pointer: "/type",
      delivered: 0,
    },
    {
      name: "a batch with one event outside the grant is refused whole",
      path: "/events",
      headers: { "content-type": "application/cloudevents-batch+json", ...bearer(BILLING_KEY) },
      body: `[${billing()},${billing({ source: "/shipping" })}]`,
      status: 403,
      code: "forbidden",
      pointer: "/1/source",
      delivered: 0,
    },
    {
      name: "an unsigned source with a granted key",
      path: "/hooks/plain",
      headers: { "content-type": "application/json", ...bearer(BILLING_KEY) },
      body: JSON.stringify({ id: nextId() }),
      status: 202,
      delivered: 1,
    },
    {
      name: "an unsigned source without a key",
      path: "/hooks/plain",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ id: nextId() }),
      status: 401,
      code: "unauthenticated",
      delivered: 0,
    },
    {
      name: "a path outside the grant",
      path: "/hooks/other",
      headers: { "content-type": "application/json", ...bearer(BILLING_KEY) },
      body: JSON.stringify({ id: nextId() }),
      status: 403,
      code: "forbidden",
      delivered: 0,
    },
    {
      name: "a signed source with a bad signature and a valid key",
      path: "/hooks/signed",
      headers: { "content-type": "application/json", "x-signature": "00", ...bearer(OPS_KEY) },
      body: signedBody,
      status: 401,
      // The signature is the credential for a signed source; a key does not replace it.
      code: "source-unauthenticated",
      delivered: 0,
    },
    {
      name: "a signed source with its signature and no key",
      path: "/hooks/signed",
      headers: {
        "content-type": "application/json",
        "x-signature": createHmac("sha256", HOOK_SECRET).update(signedBody).digest("hex"),
      },
      body: signedBody,
      status: 202,
      delivered: 1,
    },
    {
      name: "a key without grants publishes anything",
      path: "/events",
      headers: { ...STRUCTURED, ...bearer(OPS_KEY) },
      body: structured({ source: "/anything", type: "any.type" }),
      status: 202,
      delivered: 1,
    },
  ];
}
