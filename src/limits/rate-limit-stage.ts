/**
 * The rate-limit stage, right after admission and before the body is read:
 * a request takes a token from the global bucket, then from its credential's,
 * then (POST /events only) from its webhook origin's. The first empty bucket
 * answers 429 `rate-limited` with `Retry-After`, and the tokens the request
 * took from the buckets before it are given back: a refused request costs
 * only the limit that refused it, so one credential's excess never spends
 * the global budget of the others. Requests admission refused (401) never
 * get here: counting them would let anyone without a credential spend the
 * global budget of everyone who has one. For the same reason a path whose
 * source checks a signature calls this stage after decode, once the
 * signature held (events-handler.ts): a request refused for its signature
 * costs no token.
 */
import type { HeaderReader } from "../bindings/http/header-reader.js";
import type { Principal } from "../context/request-context.js";
import { GatewayError } from "../errors/errors.js";
import type { BucketStore } from "./bucket-store.js";
import { originBucketKey, quotedOrigin } from "./origin-key.js";
import { hasRateLimits, type RateLimits } from "./rate-limits.js";
import type { RateLimit } from "./token-bucket.js";

/** Which limit refused a request: `errors[0].code` of the 429. */
export type LimitCode = "global" | "per-credential" | "webhook-origin";

/** Throws 429 `rate-limited` when a limit is spent; resolves when every bucket had a token. */
export type RateLimitStage = (
  request: { readonly headers: HeaderReader },
  path: string,
  principal: Principal | undefined,
) => Promise<void>;

/** The path whose OPTIONS handshake grants a rate (webhook-handshake.ts). */
const HANDSHAKE_PATH = "/events";

/**
 * Requests without a principal (no `auth` section) share one credential
 * bucket: the gateway cannot tell anonymous senders apart portably (a client
 * address is not something every runtime gives the same way, and a header
 * naming one could be forged), so per-credential then bounds them together.
 */
const ANONYMOUS_KEY = "credential:anonymous";

/** The origin a webhook sender names: WebHook-Request-Origin (the handshake's), else Origin. */
function originOf(headers: HeaderReader): { header: string; origin: string } | undefined {
  for (const header of ["webhook-request-origin", "origin"]) {
    const origin = headers.get(header)?.trim();
    if (origin !== undefined && origin !== "") return { header, origin: origin.toLowerCase() };
  }
  return undefined;
}

interface Check {
  readonly key: string;
  readonly limit: RateLimit;
  readonly code: LimitCode;
  readonly header?: string;
  readonly detail: string;
}

async function checksFor(
  limits: RateLimits,
  request: { readonly headers: HeaderReader },
  path: string,
  principal: Principal | undefined,
): Promise<Check[]> {
  const checks: Check[] = [];
  if (limits.global) {
    checks.push({
      key: "global",
      limit: limits.global,
      code: "global",
      detail: "auth.rateLimits.global is spent for now",
    });
  }
  if (limits.perCredential) {
    checks.push({
      key: principal === undefined ? ANONYMOUS_KEY : `credential:${principal.kind}:${principal.id}`,
      limit: limits.perCredential,
      code: "per-credential",
      detail: "auth.rateLimits.perCredential is spent for this credential for now",
    });
  }
  if (limits.webhookOrigin && path === HANDSHAKE_PATH) {
    const named = originOf(request.headers);
    if (named !== undefined) {
      checks.push({
        key: await originBucketKey(named.origin),
        limit: limits.webhookOrigin,
        code: "webhook-origin",
        header: named.header,
        detail: `the rate the webhook handshake granted ${quotedOrigin(named.origin)} (WebHook-Allowed-Rate) is spent for now`,
      });
    }
  }
  return checks;
}

function rateLimited(check: Check, retryAfterMs: number): GatewayError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new GatewayError("rate-limited", `Too many requests; retry after ${seconds} s`, {
    retryAfterMs: seconds * 1000,
    failures: [
      {
        ...(check.header === undefined ? { pointer: "" } : { header: check.header }),
        code: check.code,
        detail: check.detail,
      },
    ],
  });
}

/** The stage for a config's limits; undefined when it has none (nothing to check). */
export function createRateLimitStage(limits: RateLimits, store: BucketStore): RateLimitStage | undefined {
  if (!hasRateLimits(limits)) return undefined;
  return async (request, path, principal) => {
    const taken: Check[] = [];
    for (const check of await checksFor(limits, request, path, principal)) {
      const verdict = await store.take(check.key, check.limit);
      if (!verdict.allowed) {
        await Promise.all(taken.map((t) => store.giveBack(t.key, t.limit)));
        throw rateLimited(check, verdict.retryAfterMs);
      }
      taken.push(check);
    }
  };
}
