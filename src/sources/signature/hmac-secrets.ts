/**
 * HMAC verification for signed webhooks, with WebCrypto on every runtime.
 * `crypto.subtle.verify` compares in constant time, so a forger learns nothing
 * from how long a wrong signature takes. Several secrets are tried, so a
 * secret can be rotated without refusing requests signed with the old one.
 */
import { GatewayError } from "../../errors/errors.js";

export type HmacHash = "SHA-1" | "SHA-256" | "SHA-512";

export class HmacSecrets {
  readonly #secrets: readonly Uint8Array[];
  readonly #hash: HmacHash;
  /** Imported on first use: a Worker may not use crypto while its module loads. */
  #keys: Promise<CryptoKey[]> | undefined;

  constructor(secrets: readonly Uint8Array[], hash: HmacHash) {
    this.#secrets = secrets;
    this.#hash = hash;
  }

  get count(): number {
    return this.#secrets.length;
  }

  #imported(): Promise<CryptoKey[]> {
    this.#keys ??= Promise.all(
      this.#secrets.map((secret) =>
        crypto.subtle.importKey(
          "raw",
          secret as Uint8Array<ArrayBuffer>,
          { name: "HMAC", hash: this.#hash },
          false,
          ["verify"],
        ),
      ),
    );
    return this.#keys;
  }

  /** Whether any secret signed `message` with `signature`. */
  async verifiesAny(signatures: readonly Uint8Array[], message: Uint8Array): Promise<boolean> {
    const keys = await this.#imported();
    for (const key of keys) {
      for (const signature of signatures) {
        if (
          await crypto.subtle.verify(
            "HMAC",
            key,
            signature as Uint8Array<ArrayBuffer>,
            message as Uint8Array<ArrayBuffer>,
          )
        )
          return true;
      }
    }
    return false;
  }
}

/** Bytes of several parts, joined: what a signature scheme signs (`{timestamp}.{body}`). */
export function concatBytes(...parts: readonly (Uint8Array | string)[]): Uint8Array {
  const encoder = new TextEncoder();
  const bytes = parts.map((part) => (typeof part === "string" ? encoder.encode(part) : part));
  const joined = new Uint8Array(bytes.reduce((total, part) => total + part.byteLength, 0));
  let offset = 0;
  for (const part of bytes) {
    joined.set(part, offset);
    offset += part.byteLength;
  }
  return joined;
}

/**
 * The 401 for a request whose sender is not proven. The answer is the same
 * whatever went wrong (absent, malformed, wrong, expired), so it helps no
 * forger; `reason` goes to the log only.
 */
export function unauthenticated(reason: string): GatewayError {
  return new GatewayError("source-unauthenticated", "The request's signature could not be verified", {
    logDetail: reason,
  });
}
