/**
 * A target's Retry-After header as a wait in milliseconds, for any adapter
 * that speaks HTTP (webhooks, Event Grid, its sign-in authority).
 */
/** The longest wait passed on to producers: a receiver's mistake must not park them for days. */
export const MAX_RETRY_AFTER_MS = 3_600_000;

const HTTP_DATE =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** Retry-After as milliseconds: delay-seconds or an IMF-fixdate (RFC 9110 10.2.3), capped; anything else is ignored. */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  const text = value?.trim();
  if (text === undefined) return undefined;
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, MAX_RETRY_AFTER_MS);
  if (!HTTP_DATE.test(text)) return undefined;
  return Math.min(Math.max(0, Date.parse(text) - now), MAX_RETRY_AFTER_MS);
}
