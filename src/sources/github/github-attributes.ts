/**
 * The attributes a GitHub delivery gets from its event's rule
 * (github-event-rules.ts): type, source, subject and time. Each value made
 * here is one the CloudEvents core spec accepts, or is left out, so a valid
 * GitHub delivery never gets a 400 for what the gateway made of it.
 */
import { isRfc3339Timestamp, isUriReference, stringViolation } from "../../normalize/attribute-rules.js";
import {
  COMMON_SOURCES,
  GITHUB_EVENT_RULES,
  type PayloadPath,
  type SourceRule,
  type TimeRule,
  UNLISTED_EVENT,
} from "./github-event-rules.js";

export interface GithubAttributes {
  readonly type: string;
  readonly source: string;
  readonly subject?: string;
  readonly time?: string;
}

/** 9999-12-31T23:59:59Z: the last second RFC 3339's four-digit year can write. */
const MAX_EPOCH_SECONDS = 253_402_300_799;

function valueAt(payload: unknown, path: PayloadPath): unknown {
  let value = payload;
  for (const key of path.split(".")) {
    if (typeof value !== "object" || value === null || Array.isArray(value) || !Object.hasOwn(value, key))
      return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** A string, or a number (GitHub's ids are numbers) as its text; undefined when it cannot be a String attribute. */
function textAt(payload: unknown, path: PayloadPath): string | undefined {
  const value = valueAt(payload, path);
  const text =
    typeof value === "string"
      ? value
      : typeof value === "number" && Number.isFinite(value)
        ? String(value)
        : undefined;
  return text !== undefined && text !== "" && stringViolation(text) === undefined ? text : undefined;
}

/** The URL without its last path segment; undefined when it has no path to shorten. */
function parentOf(url: string | undefined): string | undefined {
  return url === undefined
    ? undefined
    : /^([a-z][a-z0-9+.-]*:\/\/[^/]+(?:\/[^/]+)*)\/[^/]+\/?$/i.exec(url)?.[1];
}

function sourceFrom(payload: unknown, rule: SourceRule): string | undefined {
  let text: string | undefined;
  if (typeof rule === "string") text = textAt(payload, rule);
  else if ("join" in rule) {
    const parts = rule.join.map((path) => textAt(payload, path));
    text = parts.every((part) => part !== undefined) ? parts.join("/") : undefined;
  } else if ("parentOf" in rule) text = parentOf(textAt(payload, rule.parentOf));
  else text = rule.constant;
  return text !== undefined && isUriReference(text) ? text : undefined;
}

/**
 * An RFC 3339 timestamp as it is; epoch seconds (GitHub sends some times so:
 * installation.updated_at, repository.pushed_at) converted to UTC; anything
 * else left out rather than guessed at.
 */
export function asTimestamp(value: unknown): string | undefined {
  if (typeof value === "string") return isRfc3339Timestamp(value) ? value : undefined;
  if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= MAX_EPOCH_SECONDS)
    return new Date(value * 1000).toISOString().replace(".000Z", "Z");
  return undefined;
}

function timeFrom(payload: unknown, rule: TimeRule, action: unknown): string | undefined {
  if (typeof rule === "string") return asTimestamp(valueAt(payload, rule));
  if (typeof action !== "string" || !rule.actions.includes(action)) return undefined;
  return asTimestamp(valueAt(payload, rule.path));
}

function firstOf<T>(rules: readonly T[] | undefined, value: (rule: T) => string | undefined) {
  for (const rule of rules ?? []) {
    const found = value(rule);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** `event` is the X-GitHub-Event header; `payload` the parsed JSON object. */
export function githubAttributes(event: string, payload: object): GithubAttributes {
  const rule = GITHUB_EVENT_RULES.get(event) ?? UNLISTED_EVENT;
  const typeParts = (rule.typeParts ?? ["action"]).flatMap((path) => textAt(payload, path) ?? []);
  const source = firstOf([...(rule.source ?? []), ...COMMON_SOURCES], (r) => sourceFrom(payload, r));
  const subject = firstOf(rule.subject, (path) => textAt(payload, path));
  const action = valueAt(payload, "action");
  const time = firstOf(rule.time, (r) => timeFrom(payload, r, action));
  return {
    type: ["com.github", rule.typeName ?? event, ...typeParts].join("."),
    // COMMON_SOURCES ends with a constant URL, so there is always one.
    source: source ?? "https://github.com",
    ...(subject === undefined ? {} : { subject }),
    ...(time === undefined ? {} : { time }),
  };
}
