import { encodeHex } from "./hex.js";

/** The SHA-256 of a text's UTF-8 bytes, as lower-case hex (WebCrypto: every runtime has it). */
export async function sha256Hex(text: string): Promise<string> {
  return encodeHex(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))));
}
