/**
 * OAuth2 access tokens from a service-account key, with WebCrypto only (so
 * it runs on Workers): a JWT signed with the key (RS256, `jose`) is exchanged
 * at the key's token_uri, and the token is reused until a minute before it
 * expires. A token request is bounded by the signal of the attempt it is
 * made for.
 */
import { importPKCS8, SignJWT } from "jose";
import { cachedToken, type TokenCacheOptions } from "../../src/adapter/token-cache.js";

export interface ServiceAccountKey {
  readonly client_email: string;
  readonly private_key: string;
  readonly token_uri?: string;
}

/** The token endpoint refused: 4xx means the key itself is wrong, which no retry fixes. */
export class TokenError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "TokenError";
  }
}

export const PUBSUB_SCOPE = "https://www.googleapis.com/auth/pubsub";
const DEFAULT_TOKEN_URI = "https://oauth2.googleapis.com/token";

export function accessTokens(key: ServiceAccountKey, fetchFn: typeof fetch, cache: TokenCacheOptions = {}) {
  const now = cache.now ?? Date.now;
  const tokenUri = key.token_uri ?? DEFAULT_TOKEN_URI;
  return cachedToken(async (signal) => {
    const privateKey = await importPKCS8(key.private_key, "RS256");
    const issuedAt = Math.floor(now() / 1000);
    const assertion = await new SignJWT({ scope: PUBSUB_SCOPE })
      .setProtectedHeader({ alg: "RS256", typ: "JWT" })
      .setIssuer(key.client_email)
      .setAudience(tokenUri)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + 3600)
      .sign(privateKey);
    const response = await fetchFn(tokenUri, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
        assertion,
      }).toString(),
      signal,
    });
    if (!response.ok) {
      throw new TokenError(
        `the token endpoint answered ${response.status}: ${(await response.text()).slice(0, 200)}`,
        response.status,
      );
    }
    const body = (await response.json()) as { access_token: string; expires_in: number };
    return { token: body.access_token, expiresInSeconds: body.expires_in };
  }, cache);
}
