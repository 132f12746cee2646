/**
 * Secrets stored as their SHA-256 (API keys, admin tokens): the config holds
 * the hash, never the secret. A presented secret is hashed once and compared
 * with every stored hash in constant time, so neither a match nor its absence
 * tells by its timing which hash came close.
 */
import { decodeHex } from "../codec/hex.js";

export interface HashedSecret {
  /** Names the secret in logs and audit lines; never secret itself. */
  readonly id: string;
  /** The secret's SHA-256, hex. */
  readonly sha256: string;
}

const encoder = new TextEncoder();

/** The SHA-256 of a secret's UTF-8 bytes. */
export async function digestSecret(secret: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(secret)));
}

/** Constant-time equality of two byte strings (their lengths are not secret: both are hashes). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  let difference = 0;
  for (let i = 0; i < a.byteLength; i++) difference |= (a[i] as number) ^ (b[i] as number);
  return difference === 0;
}

export interface StoredHash<T> {
  readonly hash: Uint8Array;
  readonly value: T;
}

/**
 * Finds which stored hash a presented secret matches. Every stored hash is
 * compared, match or not; a hash that is not hex matches nothing.
 */
export class HashedSecrets<T> {
  readonly #stored: readonly StoredHash<T>[];

  constructor(entries: readonly { readonly sha256: string; readonly value: T }[]) {
    // An all-zero hash for bad hex: no secret hashes to it, and the loop below stays uniform.
    this.#stored = entries.map((e) => ({ hash: decodeHex(e.sha256) ?? new Uint8Array(32), value: e.value }));
  }

  async match(secret: string): Promise<T | undefined> {
    const digest = await digestSecret(secret);
    let found: StoredHash<T> | undefined;
    for (const entry of this.#stored) if (sameBytes(digest, entry.hash) && found === undefined) found = entry;
    return found?.value;
  }
}
