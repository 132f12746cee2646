/**
 * Keys a sender presents as they are (an API key, an Event Grid access key),
 * checked against the configured ones in constant time: both sides are
 * hashed (SHA-256) and every configured key is compared, match or not, so the
 * timing tells neither which key came close nor how long any is.
 */
import { digestSecret, sameBytes } from "../../auth/hashed-secrets.js";

export class PresentedKeys {
  readonly #keys: readonly string[];
  /** Hashed on first use: a Worker may not use crypto while its module loads. */
  #digests: Promise<Uint8Array[]> | undefined;

  constructor(keys: readonly string[]) {
    this.#keys = keys;
  }

  get count(): number {
    return this.#keys.length;
  }

  async matches(presented: string): Promise<boolean> {
    this.#digests ??= Promise.all(this.#keys.map(digestSecret));
    const digest = await digestSecret(presented);
    let matched = false;
    for (const stored of await this.#digests) matched = sameBytes(digest, stored) || matched;
    return matched;
  }
}
