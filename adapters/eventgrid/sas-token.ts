/**
 * Shared access signatures for Event Grid topics and domains (`aeg-sas-token`),
 * generated from an access key with WebCrypto so they can be made on any
 * runtime. The token is `r=<resource>&e=<expiry>&s=<signature>`: the resource
 * is the endpoint with its api version, the expiry is UTC in the .NET en-US
 * format the service parses ("M/d/yyyy h:mm:ss AM"), and the signature is an
 * HMAC-SHA256 of the first two parts under the base64-decoded key.
 */
import { cachedToken, type TokenCacheOptions } from "../../src/adapter/token-cache.js";
import { decodeBase64, encodeBase64 } from "../../src/codec/base64.js";

export const SAS_API_VERSION = "2018-01-01";

/** The expiry as the service reads it: month/day/year, 12-hour clock, AM/PM, UTC. */
export function serviceTimeString(date: Date): string {
  const hours = date.getUTCHours();
  const clock = hours % 12 === 0 ? 12 : hours % 12;
  const minutes = String(date.getUTCMinutes()).padStart(2, "0");
  const seconds = String(date.getUTCSeconds()).padStart(2, "0");
  return `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${date.getUTCFullYear()} ${clock}:${minutes}:${seconds} ${hours >= 12 ? "PM" : "AM"}`;
}

/** A token for `endpoint` (as Azure shows it, without a query) valid until `expiresOn`. */
export async function generateSasToken(endpoint: string, key: string, expiresOn: Date): Promise<string> {
  const keyBytes = decodeBase64(key);
  if (keyBytes === undefined) throw new Error("The Event Grid access key is not base64");
  const unsigned = `r=${encodeURIComponent(`${endpoint}?apiVersion=${SAS_API_VERSION}`)}&e=${encodeURIComponent(serviceTimeString(expiresOn))}`;
  const hmacKey = await crypto.subtle.importKey(
    "raw",
    keyBytes as Uint8Array<ArrayBuffer>,
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const signature = await crypto.subtle.sign("HMAC", hmacKey, new TextEncoder().encode(unsigned));
  return `${unsigned}&s=${encodeURIComponent(encodeBase64(new Uint8Array(signature)))}`;
}

/** Tokens valid for `ttlSeconds`, made afresh a minute before the current one expires. */
export function sasTokens(
  endpoint: string,
  key: string,
  ttlSeconds: number,
  cache: TokenCacheOptions = {},
): (signal: AbortSignal) => Promise<string> {
  const now = cache.now ?? Date.now;
  return cachedToken(async () => {
    // Whole seconds: the expiry string has no fractions, so the token never outlives what was asked.
    const expiresAt = Math.floor((now() + ttlSeconds * 1000) / 1000) * 1000;
    return {
      token: await generateSasToken(endpoint, key, new Date(expiresAt)),
      expiresInSeconds: (expiresAt - now()) / 1000,
    };
  }, cache);
}
