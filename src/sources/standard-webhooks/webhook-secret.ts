/**
 * A Standard Webhooks signing secret: `whsec_` and the key in base64. The
 * HMAC key is the decoded bytes, not the text. A secret without the prefix is
 * taken as bare base64, as the specification's reference libraries take it,
 * so a sender and this gateway derive the same key from the same string.
 */
import { decodeBase64 } from "../../codec/base64.js";

const PREFIX = "whsec_";

/** The key's bytes; undefined when the text is not (whsec_-prefixed) canonical base64 of at least one byte. */
export function decodeWebhookSecret(text: string): Uint8Array | undefined {
  const key = decodeBase64(text.startsWith(PREFIX) ? text.slice(PREFIX.length) : text);
  return key !== undefined && key.length > 0 ? key : undefined;
}
