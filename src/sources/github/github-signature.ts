/**
 * GitHub's webhook signature: `X-Hub-Signature-256: sha256=<hex>`, an
 * HMAC-SHA256 of the body bytes exactly as sent (the form bytes, for a form
 * body) with the webhook's secret.
 *
 * The SHA-1 `X-Hub-Signature` is never accepted: GitHub sends it only beside
 * the SHA-256 one, for older integrations, so refusing it costs no genuine
 * delivery, while accepting either would let a forger pick the weaker.
 *
 * The signature covers no timestamp, so a captured delivery can be replayed
 * as long as the secret is valid. A replay carries the same X-GitHub-Delivery,
 * which is the event's id: downstream deduplication drops it.
 */
import type { HeaderReader } from "../../bindings/http/header-reader.js";
import { decodeHex } from "../../codec/hex.js";
import { type HmacSecrets, unauthenticated } from "../signature/hmac-secrets.js";

const SIGNATURE = /^sha256=([0-9a-fA-F]{64})$/;

/** Throws the 401 unless one of `secrets` signed `body`. */
export async function verifyGithubSignature(
  secrets: HmacSecrets,
  headers: HeaderReader,
  body: Uint8Array,
): Promise<void> {
  const header = headers.get("x-hub-signature-256");
  if (header === null) {
    throw unauthenticated(
      headers.get("x-hub-signature") === null
        ? "no X-Hub-Signature-256 header"
        : "only the SHA-1 X-Hub-Signature header, which is not accepted; X-Hub-Signature-256 is missing",
    );
  }
  const hex = SIGNATURE.exec(header.trim())?.[1];
  const signature = hex === undefined ? undefined : decodeHex(hex);
  if (signature === undefined)
    throw unauthenticated("X-Hub-Signature-256 is not sha256= followed by 64 hex digits");
  if (!(await secrets.verifiesAny([signature], body)))
    throw unauthenticated(
      `X-Hub-Signature-256 matches none of the ${secrets.count} configured secrets (another secret, or a body changed in transit)`,
    );
}
