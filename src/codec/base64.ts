/**
 * Base64 over Uint8Array with the Web platform's atob/btoa (no Buffer), so the
 * same code runs in Node and in workerd.
 */
const CHUNK = 0x8000;

export function encodeBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

/** Canonical padded base64, as a pattern JSON Schema can use too. */
export const BASE64_PATTERN = "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$";
const BASE64 = new RegExp(BASE64_PATTERN);

/**
 * Decodes canonical base64 (RFC 4648 section 4, padded). Returns undefined for
 * anything else instead of guessing, so a corrupt `data_base64` is a 400.
 */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (!BASE64.test(text)) return undefined;
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
