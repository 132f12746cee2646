/**
 * API keys: the config holds each key's SHA-256, never the key. A bearer
 * token is hashed once and compared with every stored hash in constant time
 * (a hash is compared, so even the time to find no match says nothing of
 * the key). Keys are recognized by their hash only: any bearer that matches
 * no key is left to the next scheme (a JWT), and refused when none takes it.
 */
import { decodeHex } from "../../codec/hex.js";
import type { ApiKeyConfig } from "../auth-config.js";
import type { Authenticator, Credential } from "../authenticator.js";
import { compileGrants, type Grants } from "../grants.js";

interface StoredKey {
  readonly id: string;
  readonly hash: Uint8Array;
  readonly grants: Grants;
}

/** Constant-time equality of two equal-length byte strings. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  let difference = 0;
  for (let i = 0; i < a.byteLength; i++) difference |= (a[i] as number) ^ (b[i] as number);
  return difference === 0;
}

export function apiKeyAuthenticator(keys: readonly ApiKeyConfig[]): Authenticator {
  const stored: StoredKey[] = keys.map((key) => ({
    id: key.id,
    hash: decodeHex(key.sha256) ?? new Uint8Array(32),
    grants: compileGrants(key.grants),
  }));
  const encoder = new TextEncoder();
  return {
    scheme: "api-key",
    async check({ bearer }): Promise<Credential> {
      if (bearer === undefined) return { kind: "absent" };
      const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(bearer)));
      let found: StoredKey | undefined;
      // Every stored hash is compared, match or not.
      for (const key of stored) if (sameBytes(digest, key.hash) && found === undefined) found = key;
      if (found === undefined) return { kind: "absent" };
      return { kind: "valid", principal: { id: found.id, kind: "api-key", grants: found.grants } };
    },
  };
}
