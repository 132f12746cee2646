/**
 * The one place that bounds what goes into a log line. Reports carry values a
 * client chose (ids, header values, member names, lists of failures); written
 * whole, one 1 MiB request becomes a 50 MB log line. Every string is cut to a
 * short prefix, every list to its first few entries, and the fields of one
 * line share a byte budget, so no line can exceed MAX_LOG_LINE_BYTES.
 */

/** No log line is longer than this, in UTF-8 bytes. */
export const MAX_LOG_LINE_BYTES = 16 * 1024;

/** Characters kept of any one string value. */
export const MAX_LOG_STRING = 256;
/** Entries kept of any one list. */
export const MAX_LOG_ITEMS = 10;
/** Members kept of any one object. */
const MAX_LOG_KEYS = 32;
/** Nesting kept; deeper values are summarized. */
const MAX_LOG_DEPTH = 5;
/** Characters kept of the message. */
const MAX_LOG_MESSAGE = 512;
/**
 * Bytes the fields of one line may take. A member is only added while this
 * much is left, which covers the largest single member (a 64-character name
 * and a 256-character value, each character written as at most 6 bytes), so
 * the fields overshoot the budget by no more than a few markers. The message
 * takes at most about 3.2 KiB (512 characters of at most 6 bytes) and the
 * logger's own members (level, time, msg) under 100 bytes: together under
 * MAX_LOG_LINE_BYTES.
 */
const FIELDS_BUDGET = 11 * 1024;
const RESERVE = 2304;

/** Cuts a string to `max` characters, never inside a surrogate pair, saying how much was left out. */
export function truncateForLog(text: string, max = MAX_LOG_STRING): string {
  if (text.length <= max) return text;
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…(+${text.length - end} chars)`;
}

/** Upper bound of the UTF-8 bytes a string takes once written as a JSON string. */
function jsonCost(text: string): number {
  let cost = 2;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // Control characters and lone surrogates become \uXXXX; other characters take at most 3 bytes per UTF-16 unit.
    if (c < 0x20 || (c >= 0xd800 && c <= 0xdfff)) cost += 6;
    else if (c === 0x22 || c === 0x5c) cost += 2;
    else cost += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
  }
  return cost;
}

interface Budget {
  left: number;
}

/** Marks where entries were left out because the line's budget ran out. */
const CUT = "…(cut: log line budget)";

function boundValue(value: unknown, depth: number, budget: Budget): unknown {
  switch (typeof value) {
    case "string": {
      const text = truncateForLog(value);
      budget.left -= jsonCost(text);
      return text;
    }
    case "number":
    case "boolean":
    case "undefined":
      budget.left -= 24;
      return value;
    case "bigint":
      budget.left -= 24;
      return truncateForLog(String(value), 20);
    case "object":
      if (value === null) {
        budget.left -= 4;
        return null;
      }
      if (depth >= MAX_LOG_DEPTH) {
        budget.left -= 8;
        return "[…]";
      }
      if (ArrayBuffer.isView(value)) {
        budget.left -= 24;
        return `[${value.byteLength} bytes]`;
      }
      if (Array.isArray(value)) return boundList(value, depth, budget);
      return boundObject(value as Record<string, unknown>, depth, budget);
    default:
      budget.left -= 12;
      return `[${typeof value}]`;
  }
}

function boundList(list: readonly unknown[], depth: number, budget: Budget): unknown[] {
  const out: unknown[] = [];
  budget.left -= 2;
  for (const item of list) {
    if (out.length === MAX_LOG_ITEMS || budget.left < RESERVE) break;
    out.push(boundValue(item, depth + 1, budget));
    budget.left -= 1;
  }
  if (out.length < list.length) {
    const more = `…(+${list.length - out.length} more)`;
    budget.left -= jsonCost(more);
    out.push(more);
  }
  return out;
}

function boundObject(object: Record<string, unknown>, depth: number, budget: Budget) {
  // Entries, then fromEntries: a member named "__proto__" stays a member.
  const out: [string, unknown][] = [];
  const names = new Set<string>();
  budget.left -= 2;
  let kept = 0;
  let left = 0;
  // for...in, not Object.entries: no array of every member of a huge object is built.
  for (const key in object) {
    if (!Object.hasOwn(object, key)) continue;
    const value = object[key];
    if (value === undefined) continue; // JSON leaves these out
    if (kept === MAX_LOG_KEYS || budget.left < RESERVE) {
      left++;
      continue;
    }
    let name = truncateForLog(key, 64);
    // Long names that share their first characters stay apart.
    if (names.has(name)) name = `${name}#${kept}`;
    names.add(name);
    budget.left -= jsonCost(name) + 2;
    out.push([name, boundValue(value, depth + 1, budget)]);
    kept++;
  }
  if (left > 0) out.push(["…", budget.left < RESERVE ? CUT : `(+${left} more members)`]);
  return Object.fromEntries(out);
}

/**
 * Bounds the fields and message of one log line: strings cut to
 * MAX_LOG_STRING characters, lists to MAX_LOG_ITEMS entries, and the whole
 * line to MAX_LOG_LINE_BYTES.
 */
export function boundForLog(fields: object, message: string): [fields: object, message: string] {
  const budget = { left: FIELDS_BUDGET };
  return [
    boundObject(fields as Record<string, unknown>, 0, budget),
    truncateForLog(message, MAX_LOG_MESSAGE),
  ];
}
