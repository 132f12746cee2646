/**
 * Signatures as a sender writes them (hex or base64 text) to the bytes
 * HmacSecrets verifies. Each candidate costs one HMAC over the whole body per
 * secret, so a request may carry only a few: enough for a sender rotating its
 * own secret, too few to turn one request into thousands of digests.
 */
import { decodeBase64 } from "../../codec/base64.js";
import { decodeHex } from "../../codec/hex.js";

export type SignatureEncoding = "hex" | "base64";

/** The most signatures one request may carry. */
export const MAX_SIGNATURES = 8;

/** The signatures that decode; one that does not can match no secret, so it is dropped. */
export function decodeSignatures(texts: readonly string[], encoding: SignatureEncoding): Uint8Array[] {
  const decode = encoding === "hex" ? decodeHex : decodeBase64;
  return texts
    .map((text) => decode(text))
    .filter((bytes) => bytes !== undefined && bytes.length > 0) as Uint8Array[];
}
