/**
 * OAuth2 access tokens from a service-account key, with WebCrypto only (so
 * it runs on Workers): a JWT signed with the key (RS256, `jose`) is exchanged
 * at the key's token_uri, and the token is reused until a minute before it
 * expires.
 */
import { importPKCS8, SignJWT } from "jose";

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

export function accessTokens(key: ServiceAccountKey, fetchFn: typeof fetch, now: () => number = Date.now) {
  let cached: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;
  const tokenUri = key.token_uri ?? DEFAULT_TOKEN_URI;

  async function fetchToken(): Promise<string> {
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
    });
    if (!response.ok) {
      throw new TokenError(
        `the token endpoint answered ${response.status}: ${(await response.text()).slice(0, 200)}`,
        response.status,
      );
    }
    const body = (await response.json()) as { access_token: string; expires_in: number };
    cached = { token: body.access_token, expiresAt: now() + body.expires_in * 1000 };
    return body.access_token;
  }

  /** A valid token: the cached one until a minute before it expires, else a new one (one request at a time). */
  return function token(): Promise<string> {
    if (cached !== undefined && now() < cached.expiresAt - 60_000) return Promise.resolve(cached.token);
    pending ??= fetchToken().finally(() => {
      pending = undefined;
    });
    return pending;
  };
}
