/**
 * What a webhook origin's bucket is keyed by, and how a 429 names it. The
 * origin comes from a header the sender writes (up to the header limit, 16 KiB
 * on Node), and up to 10,000 buckets are kept (more on Workers, one Durable
 * Object name each): keyed by the header as sent, a flood of long origins
 * would hold 10,000 × 16 KiB. A SHA-256 of the origin (already lowercased)
 * keys every bucket in 64 hex characters, whatever the sender wrote, and keeps
 * distinct origins apart; the origin itself is not needed once keyed.
 */
import { encodeHex } from "../codec/hex.js";

const encoder = new TextEncoder();

/** The bucket key of an origin: `origin:` and the hex SHA-256 of it. */
export async function originBucketKey(origin: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(origin));
  return `origin:${encodeHex(new Uint8Array(digest))}`;
}

/** Longest origin a 429's detail quotes in full; a longer one is cut, so the answer stays small. */
const MAX_QUOTED_ORIGIN = 200;

export function quotedOrigin(origin: string): string {
  return origin.length <= MAX_QUOTED_ORIGIN ? origin : `${origin.slice(0, MAX_QUOTED_ORIGIN)}…`;
}
