/**
 * The CloudEvents 1.0 type system's rules for attribute names and values
 * (spec.md, "Type System" and "Attribute Naming Convention").
 */

/** Lower-case letters and digits only, at least one; `data` is reserved by the formats. */
export function isValidAttributeName(name: string): boolean {
  return /^[a-z0-9]+$/.test(name) && name !== "data";
}

/**
 * A String may not contain control characters (U+0000-001F, U+007F-009F),
 * noncharacters, or lone surrogates.
 */
export function stringViolation(value: string): string | undefined {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c <= 0x1f || (c >= 0x7f && c <= 0x9f)) return `control character U+${hex(c)} at position ${i}`;
    if (c >= 0xfdd0 && c <= 0xfdef) return `noncharacter U+${hex(c)} at position ${i}`;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return `lone surrogate at position ${i}`;
      const codePoint = ((c - 0xd800) << 10) + (next - 0xdc00) + 0x10000;
      if ((codePoint & 0xfffe) === 0xfffe) return `noncharacter U+${hex(codePoint)} at position ${i}`;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return `lone surrogate at position ${i}`;
    } else if (c === 0xfffe || c === 0xffff) {
      return `noncharacter U+${hex(c)} at position ${i}`;
    }
  }
  return undefined;
}

/** True when the string has a UTF-16 surrogate without its pair (no UTF-8 form exists). */
export function hasLoneSurrogate(value: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value);
}

const hex = (n: number) => n.toString(16).toUpperCase().padStart(4, "0");

// RFC 3986 characters: unreserved, reserved (gen-delims and sub-delims) and "%".
const URI_CHARACTERS = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

function hasValidPercentEncoding(value: string): boolean {
  return !/%(?![0-9A-Fa-f]{2})/.test(value);
}

/** RFC 3986 URI-reference: an absolute URI or a relative reference. */
export function isUriReference(value: string): boolean {
  if (!URI_CHARACTERS.test(value) || !hasValidPercentEncoding(value)) return false;
  // In a relative reference, a ":" must not appear before the first "/", "?" or "#".
  const firstDelimiter = value.search(/[/?#]/);
  const head = firstDelimiter === -1 ? value : value.slice(0, firstDelimiter);
  return !head.includes(":") || SCHEME.test(value);
}

/**
 * A URI with a scheme. A fragment is accepted, as by the JSON event format's
 * own schema (`format: uri`), since schema URIs commonly carry one.
 */
export function isAbsoluteUri(value: string): boolean {
  return SCHEME.test(value) && isUriReference(value);
}

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** RFC 3339 date-time, with calendar ranges checked (leap years, leap seconds). */
export function isRfc3339Timestamp(value: string): boolean {
  const m = TIMESTAMP.exec(value);
  if (m === null) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  if (days === undefined || day < 1 || day > days) return false;
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 60) return false;
  if (m[7] !== undefined && (Number(m[8]) > 23 || Number(m[9]) > 59)) return false;
  return true;
}

/** JSON number text that is a CloudEvents Integer: no fraction or exponent, within int32. */
export function parseInteger(text: string): number | undefined {
  if (!/^-?(0|[1-9][0-9]*)$/.test(text)) return undefined;
  const n = Number(text);
  return n >= -2147483648 && n <= 2147483647 ? n : undefined;
}
