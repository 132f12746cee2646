/**
 * CloudEvents attribute values in HTTP (and NATS) headers: RFC 7230
 * quoted-string unquoting and the binding's percent-encoding, both ways.
 *
 * Hand-written because the `cloudevents` SDK does neither, and the rules are
 * exact: on receive, unquote first, then percent-decode exactly once, and
 * refuse bytes that are not UTF-8. A `%` that starts no `%XX` escape is kept
 * as it is: senders that do not encode (sdk-go, which Knative uses) send
 * values such as `100%`, and refusing them would help no one.
 */
import { decodeUtf8, encodeUtf8 } from "./utf8.js";

export type HeaderDecodeResult =
  | { readonly ok: true; readonly value: string }
  | {
      readonly ok: false;
      readonly code: HeaderDecodeFailure;
    };

/** Why a received header value does not decode. */
export const HEADER_DECODE_FAILURES = ["invalid-quoted-string", "invalid-utf8"] as const;
export type HeaderDecodeFailure = (typeof HEADER_DECODE_FAILURES)[number];

/** Removes one level of RFC 7230 quoted-string quoting, if the value is quoted. */
function unquote(raw: string): string | undefined {
  if (!raw.startsWith('"')) return raw;
  if (raw.length < 2 || !raw.endsWith('"')) return undefined;
  let out = "";
  for (let i = 1; i < raw.length - 1; i++) {
    const c = raw[i];
    if (c === "\\") {
      i++;
      if (i >= raw.length - 1) return undefined;
      out += raw[i];
    } else if (c === '"') {
      return undefined;
    } else {
      out += c;
    }
  }
  return out;
}

const hexValue = (code: number): number => {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
};

/**
 * Decodes a received header value. Header strings arrive with one character
 * per byte (Latin-1), so raw UTF-8 bytes survive and are checked like
 * percent-encoded ones. A `%` not followed by two hex digits stays literal.
 */
export function decodeHeaderValue(raw: string): HeaderDecodeResult {
  const unquoted = unquote(raw);
  if (unquoted === undefined) return { ok: false, code: "invalid-quoted-string" };
  if (!unquoted.includes("%") && !/[^\x20-\x7e]/.test(unquoted)) return { ok: true, value: unquoted };

  const bytes: number[] = [];
  for (let i = 0; i < unquoted.length; i++) {
    const code = unquoted.charCodeAt(i);
    if (code === 0x25) {
      const hi = hexValue(unquoted.charCodeAt(i + 1));
      const lo = hexValue(unquoted.charCodeAt(i + 2));
      if (hi < 0 || lo < 0) {
        bytes.push(code);
      } else {
        bytes.push(hi * 16 + lo);
        i += 2;
      }
    } else if (code <= 0xff) {
      bytes.push(code);
    } else {
      for (const b of encodeUtf8(unquoted[i] ?? "")) bytes.push(b);
    }
  }
  const value = decodeUtf8(Uint8Array.from(bytes));
  return value === undefined ? { ok: false, code: "invalid-utf8" } : { ok: true, value };
}

const HEX = "0123456789ABCDEF";

/**
 * Encodes an attribute value for a header: space, `"`, `%` and every byte
 * outside U+0021..U+007E become %XX of their UTF-8 bytes.
 */
export function encodeHeaderValue(value: string): string {
  if (/^[\x21\x23\x24\x26-\x7e]*$/.test(value)) return value;
  let out = "";
  for (const b of encodeUtf8(value)) {
    if (b >= 0x21 && b <= 0x7e && b !== 0x22 && b !== 0x25) out += String.fromCharCode(b);
    else out += `%${HEX[b >> 4]}${HEX[b & 15]}`;
  }
  return out;
}

/**
 * How binary modes write attribute values in headers: `percent` as the
 * bindings say, or `raw` (the value as is) for receivers that never decode,
 * such as those built on sdk-go.
 */
export type HeaderEncoding = "percent" | "raw";

/**
 * Why a value cannot be sent raw, or undefined when it can: a control
 * character (CR and LF would end the header; runtimes refuse NUL and most
 * others). CloudEvents Strings cannot hold them, so only an event built in
 * code without validation has one.
 */
export function rawHeaderViolation(value: string): string | undefined {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) {
      const hex = code.toString(16).toUpperCase().padStart(4, "0");
      return `holds the control character U+${hex}, which a raw header value cannot carry`;
    }
  }
  return undefined;
}
