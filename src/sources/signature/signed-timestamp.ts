/**
 * The timestamp a sender signs along with the body, so a captured request
 * cannot be replayed later: whole seconds since the epoch, accepted only
 * within a tolerance of the arrival time, in both directions (a timestamp far
 * in the future would otherwise stay replayable for that long).
 */

/** The default tolerance: five minutes, as Standard Webhooks and Stripe use. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** The JSON Schema of a `toleranceSeconds` option. */
export const toleranceSchema = {
  type: "integer",
  minimum: 1,
  default: DEFAULT_TOLERANCE_SECONDS,
  description:
    "How far the signed timestamp may be from the arrival time, in seconds, before or after (default 300).",
} as const;

/**
 * Why a signed timestamp is refused, or undefined when it is acceptable.
 * `text` is the timestamp as sent: digits only, no sign, fraction or exponent.
 */
export function timestampProblem(
  text: string,
  receivedAtMs: number,
  toleranceSeconds: number,
): string | undefined {
  if (!/^[0-9]{1,15}$/.test(text)) return `the timestamp "${text.slice(0, 40)}" is not whole epoch seconds`;
  const skew = Math.floor(receivedAtMs / 1000) - Number(text);
  if (skew > toleranceSeconds)
    return `the timestamp is ${skew} s older than the arrival time (tolerance ${toleranceSeconds} s)`;
  if (-skew > toleranceSeconds)
    return `the timestamp is ${-skew} s ahead of the arrival time (tolerance ${toleranceSeconds} s)`;
  return undefined;
}
