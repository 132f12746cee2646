/**
 * The id of an event whose sender gives none: a SHA-256 over the source, the
 * path and the body bytes (and the element's index, for a list), so a
 * redelivered request gets the same id and downstream deduplication drops it.
 * The flip side: two identical bodies sent on purpose are one event.
 */
import { encodeHex } from "../codec/hex.js";
import { utf8Length } from "../codec/utf8.js";
import { concatBytes } from "./signature/hmac-secrets.js";

export async function deterministicId(
  source: string,
  path: string,
  bytes: Uint8Array,
  index: number | undefined,
): Promise<string> {
  // Lengths (in UTF-8 bytes) first, so ("a", "bc") and ("ab", "c") never hash the same.
  const head = `${utf8Length(source)}:${source}\n${utf8Length(path)}:${path}\n${index ?? ""}\n`;
  const digest = await crypto.subtle.digest("SHA-256", concatBytes(head, bytes) as Uint8Array<ArrayBuffer>);
  return encodeHex(new Uint8Array(digest));
}
