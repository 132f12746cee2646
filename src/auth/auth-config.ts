/** The `auth` section: who may publish (API keys, JWT), what (grants) and how fast (rate limits). */
import type { GrantConfig } from "./grants.js";
import type { JwtAlgorithm } from "./jwt/jwt-algorithms.js";

export interface ApiKeyConfig {
  /** Names the key in logs and metrics; never secret. */
  readonly id: string;
  /** The key's SHA-256, lower-case hex (`ce-gateway auth hash`): the key itself is never stored. */
  readonly sha256: string;
  readonly grants?: GrantConfig;
}

export interface JwtConfig {
  /** Where the signing keys are published (https; http only for loopback); cached, refreshed on an unknown `kid`. */
  readonly jwksUrl?: string;
  /** Static public keys (JWK), instead of or beside the JWKS URL. */
  readonly keys?: readonly Readonly<Record<string, unknown>>[];
  readonly issuer?: string | readonly string[];
  readonly audience?: string | readonly string[];
  /** The signature algorithms accepted (public-key ones only; default: all of them). */
  readonly algorithms?: readonly JwtAlgorithm[];
  readonly clockSkewSeconds?: number;
  /** Claims the token must carry, with these exact values. */
  readonly requiredClaims?: Readonly<Record<string, string | number | boolean>>;
  /** The claim that names the principal (default `sub`). */
  readonly principalClaim?: string;
  /** Grants for every token this scheme accepts. */
  readonly grants?: GrantConfig;
}

export interface RateLimitConfig {
  /** Requests per second, refilled continuously. */
  readonly rate: number;
  /** How many may come at once (the bucket's size); default: rate, at least 1. */
  readonly burst?: number;
}

export interface AuthConfig {
  readonly apiKeys?: readonly ApiKeyConfig[];
  readonly jwt?: JwtConfig;
  readonly rateLimits?: {
    readonly perCredential?: RateLimitConfig;
    readonly global?: RateLimitConfig;
  };
}
