/**
 * Media types (RFC 2046 / RFC 9110): parsed once, compared case-insensitively
 * on type, subtype and parameter names, as the CloudEvents spec requires.
 */
export interface MediaType {
  /** Lower-cased `type/subtype`. */
  readonly essence: string;
  readonly type: string;
  readonly subtype: string;
  /** Parameters with lower-cased names; values as sent (unquoted). */
  readonly parameters: ReadonlyMap<string, string>;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Splits at semicolons outside quoted strings (a quoted parameter value may hold one). */
function splitParameters(value: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (quoted && c === "\\") {
      current += c + (value[i + 1] ?? "");
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ";" && !quoted) {
      parts.push(current);
      current = "";
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}

/**
 * Parsed media types by their text. Producers send the same few Content-Type
 * and datacontenttype values over and over; parsing each again took about 2 µs
 * of a request's pipeline. Bounded: emptied when full, so hostile variety
 * costs a re-parse, never memory.
 */
const parsed = new Map<string, MediaType | null>();
const MAX_REMEMBERED = 256;

/** Parses a media type (results are frozen and shared: never mutate them). */
export function parseMediaType(value: string): MediaType | undefined {
  const known = parsed.get(value);
  if (known !== undefined) return known ?? undefined;
  const result = parseUncached(value);
  if (parsed.size >= MAX_REMEMBERED) parsed.clear();
  parsed.set(value, result ?? null);
  return result;
}

function parseUncached(value: string): MediaType | undefined {
  // Media types are ASCII (RFC 9110 tokens and quoted-strings); anything else cannot travel in a header.
  if (/[^\x20-\x7e\t]/.test(value)) return undefined;
  const [head = "", ...rest] = splitParameters(value);
  const [type, subtype, extra] = head.trim().toLowerCase().split("/");
  if (!type || !subtype || extra !== undefined || !TOKEN.test(type) || !TOKEN.test(subtype)) return undefined;
  const parameters = new Map<string, string>();
  for (const part of rest) {
    const trimmed = part.trim();
    if (trimmed === "") continue;
    const eq = trimmed.indexOf("=");
    if (eq <= 0) return undefined;
    const name = trimmed.slice(0, eq).trim().toLowerCase();
    let paramValue = trimmed.slice(eq + 1).trim();
    if (paramValue.length >= 2 && paramValue.startsWith('"') && paramValue.endsWith('"')) {
      paramValue = paramValue.slice(1, -1).replace(/\\(.)/g, "$1");
    }
    parameters.set(name, paramValue);
  }
  return Object.freeze({ essence: `${type}/${subtype}`, type, subtype, parameters });
}

/** `application/json`, `text/json`, and any `+json` structured syntax suffix. */
export function isJsonMediaType(mediaType: MediaType): boolean {
  return mediaType.subtype === "json" || mediaType.subtype.endsWith("+json");
}

/**
 * Whether data of this content type is JSON: JSON media types, or no content
 * type at all (the JSON event format's default). Unparseable types are not.
 */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return true;
  const mediaType = parseMediaType(contentType);
  return mediaType !== undefined && isJsonMediaType(mediaType);
}
