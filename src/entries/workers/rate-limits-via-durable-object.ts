/** The Worker's BucketStore: each bucket key is the name of a RateLimitObject. */
import type { DurableObjectNamespace } from "cloudflare:workers";
import type { BucketStore } from "../../limits/bucket-store.js";
import type { RateLimitObject } from "./rate-limit-object.js";

/** The `RATE_LIMITS` binding (wrangler.toml). */
export type RateLimitNamespace = DurableObjectNamespace<RateLimitObject>;

export function durableObjectBucketStore(namespace: RateLimitNamespace): BucketStore {
  const bucket = (key: string) => namespace.get(namespace.idFromName(key));
  return {
    take: (key, limit) => bucket(key).take(limit),
    giveBack: (key, limit) => bucket(key).giveBack(limit),
  };
}
