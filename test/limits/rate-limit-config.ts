/**
 * The config the end-to-end rate-limit tests give `ce-gateway serve` and the
 * built Worker: two API keys, a per-credential limit so slow to refill that
 * no test outlives a spent bucket, and a handshake rate of one a minute.
 */
import { createHash } from "node:crypto";

const sha256 = (key: string) => createHash("sha256").update(key).digest("hex");

export const KEY_A = "ceg_limits_e2e_a_4d6f8b0c2e";
export const KEY_B = "ceg_limits_e2e_b_1a3c5e7f9b";

/** One request per 100 s refills: Retry-After after the burst is at most 100. */
export const PER_CREDENTIAL = { rate: 0.01, burst: 2 };
export const MAX_RETRY_AFTER = 100;

export const RATE_LIMIT_CONFIG = `version: 1
targets:
  hook: { type: http, url: "\${env:HOOK_URL}/limited", mode: structured }
routes:
  - name: all
    to: [hook]
auth:
  apiKeys:
    - id: a
      sha256: "${sha256(KEY_A)}"
    - id: b
      sha256: "${sha256(KEY_B)}"
  rateLimits:
    perCredential: { rate: ${PER_CREDENTIAL.rate}, burst: ${PER_CREDENTIAL.burst} }
ingest:
  webhook: { allowedRate: 1 }
`;

export const eventBody = (id: string) =>
  JSON.stringify({ specversion: "1.0", id, source: "/limits", type: "com.example.limited" });

export const headersFor = (key: string, origin?: string): Record<string, string> => ({
  "content-type": "application/cloudevents+json",
  authorization: `Bearer ${key}`,
  ...(origin !== undefined && { "webhook-request-origin": origin }),
});
