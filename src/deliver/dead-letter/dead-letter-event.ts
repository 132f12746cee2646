/**
 * A dead letter: the event a target refused for good, as it was received
 * (before any route's transform), with why and when as extension attributes.
 * Names follow the attribute naming rules (lower-case letters and digits, at
 * most 20 characters), so every binding carries them:
 *
 * - deadlettertarget: the target that refused it (String)
 * - deadletterattempts: attempts made there (Integer)
 * - deadletterstatus: the target's last status (`400`, `PERMISSION_DENIED`), or `terminal` (String)
 * - deadlettererror: the reason, cut to 1024 characters (String)
 * - deadletterfirsttime, deadletterlasttime: when the first and last attempts started (Timestamp)
 *
 * Replay takes them off again (`withoutDeadLetterContext`).
 */
import { sha256Hex } from "../../codec/sha256-hex.js";
import { type AttributeValue, type CloudEvent, createCloudEvent } from "../../event/cloud-event.js";

export const DEAD_LETTER_ATTRIBUTES = {
  target: "deadlettertarget",
  attempts: "deadletterattempts",
  status: "deadletterstatus",
  error: "deadlettererror",
  firstTime: "deadletterfirsttime",
  lastTime: "deadletterlasttime",
} as const;

const NAMES: ReadonlySet<string> = new Set(Object.values(DEAD_LETTER_ATTRIBUTES));

/** Long enough for any target's reason worth reading; short enough for every broker's header limits. */
export const MAX_ERROR_TEXT = 1024;

export interface DeadLetterCause {
  readonly target: string;
  readonly attempts: number;
  readonly status: number | string | undefined;
  readonly reason: string;
  readonly firstAttemptAt: number;
  readonly lastAttemptAt: number;
}

const truncated = (text: string) =>
  text.length <= MAX_ERROR_TEXT ? text : `${text.slice(0, MAX_ERROR_TEXT - 1)}…`;

export function deadLetterEvent(original: CloudEvent, cause: DeadLetterCause): CloudEvent {
  const extensions = new Map<string, AttributeValue>();
  // Context a replayed event carried from an earlier dead letter is replaced, not kept twice.
  for (const [name, value] of original.extensions) if (!NAMES.has(name)) extensions.set(name, value);
  extensions.set(DEAD_LETTER_ATTRIBUTES.target, cause.target);
  extensions.set(DEAD_LETTER_ATTRIBUTES.attempts, cause.attempts);
  extensions.set(
    DEAD_LETTER_ATTRIBUTES.status,
    cause.status === undefined ? "terminal" : String(cause.status),
  );
  extensions.set(DEAD_LETTER_ATTRIBUTES.error, truncated(cause.reason));
  extensions.set(DEAD_LETTER_ATTRIBUTES.firstTime, new Date(cause.firstAttemptAt).toISOString());
  extensions.set(DEAD_LETTER_ATTRIBUTES.lastTime, new Date(cause.lastAttemptAt).toISOString());
  // Not `encoded`: the bytes received lack the extensions.
  return createCloudEvent({ attributes: original.attributes, extensions, data: original.data });
}

/** A stored dead letter as the event it was, and the target it failed at (undefined: not a dead letter). */
export function withoutDeadLetterContext(stored: CloudEvent): {
  readonly event: CloudEvent;
  readonly failedTarget: string | undefined;
} {
  const failed = stored.extensions.get(DEAD_LETTER_ATTRIBUTES.target);
  const extensions = new Map<string, AttributeValue>();
  for (const [name, value] of stored.extensions) if (!NAMES.has(name)) extensions.set(name, value);
  return {
    event: createCloudEvent({ attributes: stored.attributes, extensions, data: stored.data }),
    failedTarget: typeof failed === "string" ? failed : undefined,
  };
}

/**
 * The broker message id of a dead letter: one per (event, failed target), so
 * a broker with publish-side dedup keeps the dead letters of one event from
 * two targets apart, and drops a repeat of the same one.
 */
export async function deadLetterMessageId(event: CloudEvent, failedTarget: string): Promise<string> {
  const { source, id } = event.attributes;
  return sha256Hex(`deadletter\n${failedTarget}\n${source}\n${id}`);
}
