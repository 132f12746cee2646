/**
 * The signature algorithms a JWT may use: public-key ones only. `none` and
 * the HMAC family (HS*) are never accepted, so a published public key can
 * never be used as a shared secret to forge a token.
 */
export const JWT_ALGORITHMS = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
] as const;

export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

export const isJwtAlgorithm = (alg: unknown): alg is JwtAlgorithm =>
  typeof alg === "string" && (JWT_ALGORITHMS as readonly string[]).includes(alg);

/** The algorithms a public key (JWK) can verify, by its type and curve. */
export function algorithmsForKey(kty: unknown, crv: unknown): readonly JwtAlgorithm[] {
  if (kty === "RSA") return ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"];
  if (kty === "EC" && crv === "P-256") return ["ES256"];
  if (kty === "EC" && crv === "P-384") return ["ES384"];
  if (kty === "EC" && crv === "P-521") return ["ES512"];
  if (kty === "OKP" && crv === "Ed25519") return ["EdDSA"];
  return [];
}
