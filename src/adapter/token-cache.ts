/**
 * Bearer tokens reused until a minute before they expire, fetched one at a
 * time (concurrent callers share the request in flight). Shared by the
 * targets that sign in with OAuth2 (Pub/Sub over REST, Event Grid with Entra ID).
 *
 * A token request is made for an attempt and bounded by that attempt's
 * signal; every caller stops waiting when its own attempt ends. A caller
 * whose attempt outlives the one that started the shared request, and sees
 * that request cut short by it, asks again within its own attempt.
 *
 * Sharing the request in flight is a speed-up for runtimes that allow it
 * (Node): workerd does not let one request wait on I/O another request
 * started, so there (`shareInFlight: false`) each caller without a cached
 * token makes its own request; the token itself is still reused.
 */
import { untilAborted } from "./until-aborted.js";

export interface IssuedToken {
  readonly token: string;
  readonly expiresInSeconds: number;
}

export const REFRESH_MARGIN_MS = 60_000;

interface TokenRequest {
  readonly token: Promise<string>;
  /** The signal of the attempt the request was made for. */
  readonly signal: AbortSignal;
}

export interface TokenCacheOptions {
  readonly now?: () => number;
  /** Whether concurrent callers may share one request in flight (AdapterRuntime.shareInFlight). */
  readonly shareInFlight?: boolean;
}

export function cachedToken(
  fetchToken: (signal: AbortSignal) => Promise<IssuedToken>,
  { now = Date.now, shareInFlight = false }: TokenCacheOptions = {},
): (signal: AbortSignal) => Promise<string> {
  let cached: { token: string; expiresAt: number } | undefined;
  let inFlight: TokenRequest | undefined;

  const request = (signal: AbortSignal): TokenRequest => {
    const token: Promise<string> = fetchToken(signal)
      .then((issued) => {
        cached = { token: issued.token, expiresAt: now() + issued.expiresInSeconds * 1000 };
        return issued.token;
      })
      .finally(() => {
        if (inFlight?.token === token) inFlight = undefined;
      });
    return { token, signal };
  };

  return async function token(signal: AbortSignal): Promise<string> {
    for (;;) {
      if (cached !== undefined && now() < cached.expiresAt - REFRESH_MARGIN_MS) return cached.token;
      if (!shareInFlight) return untilAborted(request(signal).token, signal);
      inFlight ??= request(signal);
      const shared = inFlight;
      try {
        return await untilAborted(shared.token, signal);
      } catch (error) {
        if (shared.signal !== signal && shared.signal.aborted && !signal.aborted) continue;
        throw error;
      }
    }
  };
}
