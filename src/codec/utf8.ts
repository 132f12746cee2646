/**
 * UTF-8 helpers over Uint8Array, with no Node built-ins.
 */
const strictDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

/** Decodes bytes that must be valid UTF-8; returns undefined when they are not. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return undefined;
  }
}

export function encodeUtf8(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text);
}

export function isValidUtf8(bytes: Uint8Array): boolean {
  return decodeUtf8(bytes) !== undefined;
}

/**
 * Checks one UTF-8 sequence starting at `pos` (whose first byte is >= 0x80)
 * and returns its length, or 0 when it is invalid: overlong forms, surrogates
 * and code points above U+10FFFF are rejected (RFC 3629).
 */
export function utf8SequenceLength(bytes: Uint8Array, pos: number): number {
  const b0 = bytes[pos] ?? 0;
  const cont = (i: number, lo = 0x80, hi = 0xbf) => {
    const b = bytes[pos + i];
    return b !== undefined && b >= lo && b <= hi;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if (b0 === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (b0 >= 0xe1 && b0 <= 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b0 === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b0 >= 0xf1 && b0 <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b0 === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/** Byte length of a string's UTF-8 encoding, without encoding it. */
export function utf8Length(text: string): number {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) length += 1;
    else if (c < 0x800) length += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      length += 4;
      i++;
    } else length += 3;
  }
  return length;
}

/**
 * A string's UTF-8 bytes as a byte string, one character per byte: the form
 * in which fetch takes header values, and in which the header decoder reads them.
 */
export function utf8ByteString(text: string): string {
  if (!/[\u0080-\uffff]/.test(text)) return text;
  let bytes = "";
  for (const b of encodeUtf8(text)) bytes += String.fromCharCode(b);
  return bytes;
}
