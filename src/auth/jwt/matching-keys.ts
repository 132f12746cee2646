/** The public keys of a key set that may have signed a token with this header. */
import { type CryptoKey, type createLocalJWKSet, errors, type JWSHeaderParameters } from "jose";

export type KeySet = ReturnType<typeof createLocalJWKSet>;

/** Every key the set holds for the header's `kid` and `alg`: none, one, or several to try in turn. */
export async function matchingKeys(set: KeySet, header: JWSHeaderParameters): Promise<CryptoKey[]> {
  try {
    return [await set(header)];
  } catch (error) {
    if (error instanceof errors.JWKSNoMatchingKey) return [];
    if (error instanceof errors.JWKSMultipleMatchingKeys) {
      const keys: CryptoKey[] = [];
      for await (const key of error) keys.push(key);
      return keys;
    }
    throw error;
  }
}
