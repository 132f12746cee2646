/**
 * Secrets a sender presents as they are (a query parameter, an API-key header,
 * Basic credentials). The presented value and every configured one are hashed
 * (SHA-256, WebCrypto) and every hash is compared in constant time, so
 * neither which secret came close nor how long it is shows in the timing.
 */
import { digestSecret, sameBytes } from "../../auth/hashed-secrets.js";

export class SharedSecrets {
  readonly #secrets: readonly string[];
  /** Hashed on first use: a Worker may not use crypto while its module loads. */
  #digests: Promise<Uint8Array[]> | undefined;

  constructor(secrets: readonly string[]) {
    this.#secrets = secrets;
  }

  get count(): number {
    return this.#secrets.length;
  }

  async matches(presented: string): Promise<boolean> {
    this.#digests ??= Promise.all(this.#secrets.map(digestSecret));
    const digest = await digestSecret(presented);
    let matched = false;
    for (const configured of await this.#digests) matched = sameBytes(digest, configured) || matched;
    return matched;
  }
}
