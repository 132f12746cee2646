/**
 * A fake Google OAuth2 token endpoint for service-account JWT grants
 * (`grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<JWT>`):
 * verifies the RS256 signature with a given SPKI public key, the audience,
 * the issuer (when configured), a lifetime of at most one hour and a Pub/Sub
 * scope, then issues an access token through the shared state. Errors use
 * Google's OAuth2 error body `{"error":"invalid_grant","error_description":...}`.
 */
import { type CryptoKey, errors, importSPKI, jwtVerify } from "jose";
import type { FakePubsubState } from "./state.js";

export const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
export const GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token";
export const PUBSUB_SCOPES = [
  "https://www.googleapis.com/auth/pubsub",
  "https://www.googleapis.com/auth/cloud-platform",
];

export interface TokenEndpointOptions {
  /** SPKI PEM (`-----BEGIN PUBLIC KEY-----`) of the service account key. */
  readonly publicKey: string;
  /** Accepted `aud` values. */
  readonly audience: readonly string[];
  /** The JWT's space-separated `scope` must contain one of these. */
  readonly scopes: readonly string[];
  /** Expected `iss` (the service account's `client_email`), if checked. */
  readonly issuer?: string | undefined;
  /** `expires_in` of issued tokens, in seconds (read per request). */
  readonly expiresIn: () => number;
}

export interface TokenResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

const oauthError = (error: string, description: string, status = 400): TokenResponse => ({
  status,
  body: { error, error_description: description },
});

export function createTokenEndpoint(options: TokenEndpointOptions, state: FakePubsubState) {
  let key: Promise<CryptoKey> | undefined;

  return async function handleTokenRequest(form: URLSearchParams): Promise<TokenResponse> {
    const grantType = form.get("grant_type");
    if (grantType !== JWT_BEARER) {
      return oauthError("unsupported_grant_type", `Invalid grant_type: ${grantType ?? ""}`);
    }
    const assertion = form.get("assertion");
    if (!assertion) return oauthError("invalid_request", "Missing required parameter: assertion");
    key ??= importSPKI(options.publicKey, "RS256");
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(assertion, await key, {
        algorithms: ["RS256"],
        audience: [...options.audience],
        ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
        requiredClaims: ["iss", "aud", "iat", "exp"],
      }));
    } catch (error) {
      if (error instanceof errors.JWSSignatureVerificationFailed) {
        return oauthError("invalid_grant", "Invalid JWT Signature.");
      }
      if (error instanceof errors.JWTExpired) {
        return oauthError(
          "invalid_grant",
          "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.",
        );
      }
      if (error instanceof errors.JWTClaimValidationFailed) {
        return oauthError("invalid_grant", `Invalid JWT: Failed ${error.claim} check (${error.reason}).`);
      }
      return oauthError("invalid_grant", `Invalid JWT: ${error instanceof Error ? error.message : ""}`);
    }
    const { iat, exp, scope } = payload;
    if (typeof iat !== "number" || typeof exp !== "number" || exp - iat > 3600 || exp <= iat) {
      return oauthError(
        "invalid_grant",
        "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.",
      );
    }
    const scopes = typeof scope === "string" ? scope.split(" ") : [];
    if (!scopes.some((s) => options.scopes.includes(s))) {
      return oauthError("invalid_scope", "Invalid OAuth scope or ID token audience provided.");
    }
    const expiresIn = options.expiresIn();
    return {
      status: 200,
      body: { access_token: state.issueToken(expiresIn), expires_in: expiresIn, token_type: "Bearer" },
    };
  };
}
