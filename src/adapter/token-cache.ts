/**
 * Bearer tokens reused until a minute before they expire, fetched one at a
 * time (concurrent callers share the request in flight). Shared by the
 * targets that sign in with OAuth2 (Pub/Sub over REST, Event Grid with Entra ID).
 */
export interface IssuedToken {
  readonly token: string;
  readonly expiresInSeconds: number;
}

export const REFRESH_MARGIN_MS = 60_000;

export function cachedToken(
  fetchToken: () => Promise<IssuedToken>,
  now: () => number = Date.now,
): () => Promise<string> {
  let cached: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;
  return function token(): Promise<string> {
    if (cached !== undefined && now() < cached.expiresAt - REFRESH_MARGIN_MS)
      return Promise.resolve(cached.token);
    pending ??= fetchToken()
      .then((issued) => {
        cached = { token: issued.token, expiresAt: now() + issued.expiresInSeconds * 1000 };
        return issued.token;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}
