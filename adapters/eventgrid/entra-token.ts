/**
 * Microsoft Entra ID client-credentials tokens by fetch (any runtime), for
 * the Event Grid scope, reused until a minute before they expire. A token
 * request is bounded by the signal of the attempt it is made for.
 */

import { retryAfterMs } from "../../src/adapter/retry-after.js";
import { cachedToken, type TokenCacheOptions } from "../../src/adapter/token-cache.js";
import { AuthorityUnavailable, CredentialsRefused, isRefusal } from "./auth.js";
import type { EntraOptions } from "./options.js";

/** The OAuth2 `error` of a token endpoint's answer, if it has one. */
function oauthErrorCode(text: string): string | undefined {
  try {
    const code = (JSON.parse(text) as { error?: unknown }).error;
    return typeof code === "string" ? code : undefined;
  } catch {
    return undefined;
  }
}

export const EVENT_GRID_SCOPE = "https://eventgrid.azure.net/.default";

export function entraTokens(credentials: EntraOptions, fetchFn: typeof fetch, cache: TokenCacheOptions = {}) {
  const authority = (credentials.authorityHost ?? "https://login.microsoftonline.com").replace(/\/+$/, "");
  return cachedToken(async (signal) => {
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
        signal,
      },
    );
    if (!response.ok) {
      const text = await response.text();
      const detail = text.slice(0, 300);
      if (isRefusal(response.status, oauthErrorCode(text)))
        throw new CredentialsRefused(response.status, detail);
      throw new AuthorityUnavailable(
        `Entra ID answered ${response.status}: ${detail}`,
        retryAfterMs(response.headers.get("retry-after"), Date.now()),
      );
    }
    const body = (await response.json()) as { access_token: string; expires_in: number };
    return { token: body.access_token, expiresInSeconds: body.expires_in };
  }, cache);
}
