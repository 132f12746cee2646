/**
 * Reading the signatures (and, Stripe-style, the timestamp) out of the header
 * an `hmac` source's sender signs into. Two shapes:
 *
 * - `plain`: the header holds the signature, after an optional prefix
 *   (`sha256=...`). Several, separated by commas or spaces, are accepted, so a
 *   header sent twice (joined with ", ") or a sender rotating its secret
 *   still verifies; neither hex nor base64 can contain either separator.
 * - `parts`: comma-separated `key=value` parts, one key for the timestamp
 *   and another for the signatures (Stripe: `t=1492774577,v1=5257a8...,v1=...`).
 *   Parts with other keys (Stripe's `v0=`) are ignored.
 */
export type SignatureHeader =
  | { readonly kind: "plain"; readonly name: string; readonly prefix: string }
  | {
      readonly kind: "parts";
      readonly name: string;
      readonly signatureKey: string;
      readonly timestampKey: string | undefined;
    };

export interface ReadSignatures {
  /** The signatures as sent (prefix removed), still encoded. */
  readonly signatures: readonly string[];
  /** The values of the timestamp part (`parts` with a timestamp key only). */
  readonly timestamps: readonly string[];
}

export function readSignatureHeader(value: string, header: SignatureHeader): ReadSignatures {
  if (header.kind === "plain") {
    const signatures = value
      .split(/[\s,]+/)
      .filter((token) => token !== "" && token.startsWith(header.prefix))
      .map((token) => token.slice(header.prefix.length));
    return { signatures, timestamps: [] };
  }
  const signatures: string[] = [];
  const timestamps: string[] = [];
  for (const part of value.split(",")) {
    const equals = part.indexOf("=");
    if (equals < 0) continue;
    const key = part.slice(0, equals).trim();
    const text = part.slice(equals + 1).trim();
    if (key === header.signatureKey) signatures.push(text);
    else if (key === header.timestampKey) timestamps.push(text);
  }
  return { signatures, timestamps };
}
