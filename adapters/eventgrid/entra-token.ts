/**
 * Microsoft Entra ID client-credentials tokens by fetch (any runtime), for
 * the Event Grid scope, reused until a minute before they expire.
 */
export const EVENT_GRID_SCOPE = "https://eventgrid.azure.net/.default";

export interface EntraCredentials {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly authorityHost?: string;
}

export function entraTokens(
  credentials: EntraCredentials,
  fetchFn: typeof fetch,
  now: () => number = Date.now,
) {
  let cached: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;
  const authority = (credentials.authorityHost ?? "https://login.microsoftonline.com").replace(/\/+$/, "");

  async function fetchToken(): Promise<string> {
    const response = await fetchFn(
      `${authority}/${encodeURIComponent(credentials.tenantId)}/oauth2/v2.0/token`,
      {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "client_credentials",
          client_id: credentials.clientId,
          client_secret: credentials.clientSecret,
          scope: EVENT_GRID_SCOPE,
        }).toString(),
      },
    );
    if (!response.ok)
      throw new Error(`Entra ID answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
    const body = (await response.json()) as { access_token: string; expires_in: number };
    cached = { token: body.access_token, expiresAt: now() + body.expires_in * 1000 };
    return body.access_token;
  }

  return function token(): Promise<string> {
    if (cached !== undefined && now() < cached.expiresAt - 60_000) return Promise.resolve(cached.token);
    pending ??= fetchToken().finally(() => {
      pending = undefined;
    });
    return pending;
  };
}
