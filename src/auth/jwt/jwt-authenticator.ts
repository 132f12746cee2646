/**
 * JWT bearer tokens. A bearer shaped like a JWT (three base64url parts) that
 * no earlier scheme took is verified: its signature by the static `keys`
 * first, then by the keys published at `jwksUrl`; then its issuer, audience,
 * `exp` (required), `nbf` (both with the clock skew allowed) and the claims
 * that must have exact values. The principal is named by `principalClaim`.
 * When the JWKS cannot be fetched and holds no key for the token, the
 * request is answered 503 auth-unavailable: the token may well be valid.
 */
import {
  type CryptoKey,
  createLocalJWKSet,
  decodeProtectedHeader,
  errors,
  type JWSHeaderParameters,
  type JWTPayload,
  jwtVerify,
} from "jose";
import { describeError, GatewayError, isGatewayError } from "../../errors/errors.js";
import type { JwtConfig } from "../auth-config.js";
import type { Authenticator, Credential } from "../authenticator.js";
import { compileGrants } from "../grants.js";
import { createJwksCache, type JwksCache } from "./jwks-cache.js";
import { isJwtAlgorithm, JWT_ALGORITHMS } from "./jwt-algorithms.js";
import { type KeySet, matchingKeys } from "./matching-keys.js";

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const DEFAULT_CLOCK_SKEW_SECONDS = 30;

const invalid = (reason: string): Credential => ({ kind: "invalid", reason });

function authUnavailable(reason: string, retryAfterMs: number): GatewayError {
  return new GatewayError(
    "auth-unavailable",
    "The keys to verify the credential cannot be fetched now; retry later",
    { retryAfterMs, logDetail: reason },
  );
}

/** Why the claims a signature vouches for are not acceptable, or undefined when they are. */
function claimsRefusal(payload: JWTPayload, config: JwtConfig, principalClaim: string): string | undefined {
  for (const [claim, expected] of Object.entries(config.requiredClaims ?? {})) {
    if (!(claim in payload)) return `the token has no "${claim}" claim`;
    if (payload[claim] !== expected) return `the token's "${claim}" claim is not ${JSON.stringify(expected)}`;
  }
  const principal = payload[principalClaim];
  if (typeof principal !== "string" || principal === "")
    return `the token's "${principalClaim}" claim (the principal) is not a non-empty string`;
  return undefined;
}

export function jwtAuthenticator(config: JwtConfig): Authenticator {
  const algorithms = [...(config.algorithms ?? JWT_ALGORITHMS)];
  const principalClaim = config.principalClaim ?? "sub";
  const grants = compileGrants(config.grants);
  const staticKeys: KeySet | undefined =
    config.keys !== undefined && config.keys.length > 0
      ? createLocalJWKSet({ keys: config.keys.map((key) => ({ ...key })) })
      : undefined;
  const jwks: JwksCache | undefined =
    config.jwksUrl === undefined ? undefined : createJwksCache({ url: config.jwksUrl });
  const verifyOptions = {
    algorithms,
    ...(config.issuer !== undefined && { issuer: [config.issuer].flat() }),
    ...(config.audience !== undefined && { audience: [config.audience].flat() }),
    clockTolerance: config.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS,
    requiredClaims: ["exp"],
  };

  /** The payload if one of the keys verifies the signature; undefined if none does; throws for any other fault. */
  async function verifyWith(token: string, keys: readonly CryptoKey[]): Promise<JWTPayload | undefined> {
    for (const key of keys) {
      try {
        return (await jwtVerify(token, key, verifyOptions)).payload;
      } catch (error) {
        if (!(error instanceof errors.JWSSignatureVerificationFailed)) throw error;
      }
    }
    return undefined;
  }

  async function verify(token: string, header: JWSHeaderParameters): Promise<JWTPayload | string> {
    const fromStatic = staticKeys === undefined ? [] : await matchingKeys(staticKeys, header);
    const payload = await verifyWith(token, fromStatic);
    if (payload !== undefined) return payload;
    if (jwks === undefined) {
      return fromStatic.length === 0
        ? "no configured key matches the token"
        : "the signature does not verify";
    }
    const lookup = await jwks.keysFor(header);
    if (lookup.kind === "unavailable") throw authUnavailable(lookup.reason, lookup.retryAfterMs);
    if (lookup.keys.length === 0 && fromStatic.length === 0) {
      return `no key matches the token's kid ${JSON.stringify(header.kid ?? null)}`;
    }
    return (await verifyWith(token, lookup.keys)) ?? "the signature does not verify";
  }

  return {
    scheme: "jwt",
    async check({ bearer }): Promise<Credential> {
      if (bearer === undefined || !JWT_SHAPE.test(bearer)) return { kind: "absent" };
      let header: JWSHeaderParameters;
      try {
        header = decodeProtectedHeader(bearer);
      } catch (error) {
        return invalid(`the token's header does not decode: ${describeError(error)}`);
      }
      // Checked before any key is looked up, so a token no key could verify costs no JWKS fetch.
      if (!isJwtAlgorithm(header.alg) || !algorithms.includes(header.alg)) {
        return invalid(`the token's algorithm ${JSON.stringify(header.alg)} is not allowed`);
      }
      let verified: JWTPayload | string;
      try {
        verified = await verify(bearer, header);
      } catch (error) {
        if (isGatewayError(error)) throw error;
        return invalid(describeError(error));
      }
      if (typeof verified === "string") return invalid(verified);
      const refusal = claimsRefusal(verified, config, principalClaim);
      if (refusal !== undefined) return invalid(refusal);
      return {
        kind: "valid",
        principal: { id: verified[principalClaim] as string, kind: "jwt", claims: verified, grants },
      };
    },
  };
}
