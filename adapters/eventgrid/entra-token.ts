/**
 * Microsoft Entra ID client-credentials tokens by fetch (any runtime), for
 * the Event Grid scope, reused until a minute before they expire.
 */
import { cachedToken } from "../../src/adapter/token-cache.js";
import { CredentialsRefused } from "./auth.js";
import type { EntraOptions } from "./options.js";

export const EVENT_GRID_SCOPE = "https://eventgrid.azure.net/.default";

export function entraTokens(credentials: EntraOptions, fetchFn: typeof fetch, now: () => number = Date.now) {
  const authority = (credentials.authorityHost ?? "https://login.microsoftonline.com").replace(/\/+$/, "");
  return cachedToken(async () => {
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
    if (!response.ok) {
      const detail = (await response.text()).slice(0, 300);
      // 400 and 401 mean the credentials themselves are wrong (invalid_client, unauthorized_client...).
      if (response.status >= 400 && response.status < 500)
        throw new CredentialsRefused(response.status, detail);
      throw new Error(`Entra ID answered ${response.status}: ${detail}`);
    }
    const body = (await response.json()) as { access_token: string; expires_in: number };
    return { token: body.access_token, expiresInSeconds: body.expires_in };
  }, now);
}
