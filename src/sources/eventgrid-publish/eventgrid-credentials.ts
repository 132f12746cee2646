/**
 * The three ways an Event Grid publisher proves itself, checked as Event Grid
 * checks them:
 *
 * - `aeg-sas-key: <key>`: one of the topic's keys, compared in constant time
 *   (PresentedKeys);
 * - `aeg-sas-token: r=<resource>&e=<expiry>&s=<signature>`: a shared access
 *   signature. `s` is the base64 HMAC-SHA256, keyed with a topic key's
 *   base64-decoded bytes, of the token's `r=...&e=...` exactly as sent
 *   (URL-encoded). `r`, decoded and without its query, must be one of the
 *   configured `sasResources` (the URL producers were given: the gateway
 *   cannot know the name it is reached by behind a proxy); `e` is UTC in .NET's
 *   en-US form `M/d/yyyy h:mm:ss AM`, and must be in the future;
 * - `Authorization: Bearer <JWT>` from Microsoft Entra ID, verified with jose
 *   against the configured issuer, audience and keys (the gateway's JWT scheme).
 *
 * Anything else is 401 source-unauthenticated; the log says why.
 */
import type { JwtConfig } from "../../auth/auth-config.js";
import type { Authenticator } from "../../auth/authenticator.js";
import { bearerOf } from "../../auth/authenticator.js";
import { jwtAuthenticator } from "../../auth/jwt/jwt-authenticator.js";
import type { HeaderReader } from "../../bindings/http/header-reader.js";
import { decodeBase64 } from "../../codec/base64.js";
import { concatBytes, HmacSecrets, unauthenticated } from "../signature/hmac-secrets.js";
import { PresentedKeys } from "../signature/presented-keys.js";

export interface EventGridCredentialOptions {
  /** The topic's access keys (base64, as Azure issues them). */
  readonly accessKeys?: readonly string[];
  /** The URLs an aeg-sas-token's `r` may name. */
  readonly sasResources?: readonly string[];
  readonly entra?: JwtConfig;
}

const EXPIRY = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2}):(\d{2}) (AM|PM)$/;

/** The instant `M/d/yyyy h:mm:ss AM` (UTC) names, in ms; undefined when it is not that form. */
export function parseSasExpiry(text: string): number | undefined {
  const parts = EXPIRY.exec(text);
  if (parts === null) return undefined;
  const [month, day, year, hour12, minute, second] = parts.slice(1, 7).map(Number) as number[];
  if ((hour12 as number) < 1 || (hour12 as number) > 12) return undefined;
  const hour = ((hour12 as number) % 12) + (parts[7] === "PM" ? 12 : 0);
  const ms = Date.UTC(year as number, (month as number) - 1, day, hour, minute, second);
  // Date.UTC rolls 2/31 over into March: a date that does not exist is refused, not moved.
  return new Date(ms).getUTCDate() === day ? ms : undefined;
}

/** A URL as compared with `r`: no query or fragment, no trailing slash, lower case (Azure compares it so). */
const resourceKey = (url: string) =>
  url
    .replace(/[?#].*$/, "")
    .replace(/\/+$/, "")
    .toLowerCase();

function decodeComponent(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

export class EventGridCredentials {
  readonly #keys: PresentedKeys;
  readonly #signingKeys: HmacSecrets;
  readonly #resources: ReadonlySet<string>;
  readonly #entra: Authenticator | undefined;

  constructor(options: EventGridCredentialOptions) {
    this.#keys = new PresentedKeys(options.accessKeys ?? []);
    // The schema lets only base64 keys in; one that is not could never sign a token.
    this.#signingKeys = new HmacSecrets(
      (options.accessKeys ?? []).flatMap((key) => decodeBase64(key) ?? []),
      "SHA-256",
    );
    this.#resources = new Set((options.sasResources ?? []).map(resourceKey));
    this.#entra = options.entra === undefined ? undefined : jwtAuthenticator(options.entra);
  }

  /**
   * Resolves when the request carries a valid credential; throws 401 (or 503
   * when Entra's keys cannot be fetched). A namespace takes a key as
   * `Authorization: SharedAccessKey <key>` and no SAS token; a topic takes
   * the aeg-* headers.
   */
  async verify(headers: HeaderReader, now: number, namespace: boolean): Promise<void> {
    const authorization = headers.get("authorization");
    if (namespace) {
      const shared = /^SharedAccessKey[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? "")?.[1];
      if (shared !== undefined) return this.#verifyKey(shared);
      const bearer = bearerOf(headers, undefined);
      if (bearer !== undefined) return this.#verifyBearer(headers, bearer);
      throw unauthenticated("eventgrid-publish (namespace): no SharedAccessKey or bearer token");
    }
    const key = headers.get("aeg-sas-key");
    if (key !== null) return this.#verifyKey(key);
    const token = headers.get("aeg-sas-token");
    if (token !== null) return this.#verifySas(token, now);
    // Only the header: Event Grid takes no token in the query.
    const bearer = bearerOf(headers, undefined);
    if (bearer !== undefined) return this.#verifyBearer(headers, bearer);
    throw unauthenticated("eventgrid-publish: no aeg-sas-key, aeg-sas-token or bearer token");
  }

  async #verifyKey(presented: string): Promise<void> {
    if (this.#keys.count === 0)
      throw unauthenticated("eventgrid-publish: a key given, no accessKeys configured");
    if (!(await this.#keys.matches(presented)))
      throw unauthenticated("eventgrid-publish: the key matches none of the accessKeys");
  }

  async #verifySas(token: string, now: number): Promise<void> {
    const signed = /^(r=[^&]*&e=[^&]*)&s=([^&]*)$/.exec(token.trim());
    if (signed === null) throw unauthenticated("eventgrid-publish: aeg-sas-token is not r=...&e=...&s=...");
    const [, unsigned = "", encodedSignature = ""] = signed;
    const [rPart = "", ePart = ""] = unsigned.split("&");
    const resource = decodeComponent(rPart.slice(2));
    const expiryText = decodeComponent(ePart.slice(2));
    const signature = decodeComponent(encodedSignature);
    if (resource === undefined || expiryText === undefined || signature === undefined)
      throw unauthenticated("eventgrid-publish: aeg-sas-token is not URL-encoded");
    const expiry = parseSasExpiry(expiryText);
    if (expiry === undefined)
      throw unauthenticated(
        `eventgrid-publish: aeg-sas-token's e is not M/d/yyyy h:mm:ss AM (${expiryText})`,
      );
    if (expiry <= now) throw unauthenticated(`eventgrid-publish: aeg-sas-token expired at ${expiryText} UTC`);
    if (!this.#resources.has(resourceKey(resource)))
      throw unauthenticated(`eventgrid-publish: aeg-sas-token's r (${resource}) is not in sasResources`);
    const signatureBytes = decodeBase64(signature);
    if (
      signatureBytes === undefined ||
      !(await this.#signingKeys.verifiesAny([signatureBytes], concatBytes(unsigned)))
    )
      throw unauthenticated("eventgrid-publish: aeg-sas-token's signature matches none of the accessKeys");
  }

  async #verifyBearer(headers: HeaderReader, bearer: string): Promise<void> {
    if (this.#entra === undefined)
      throw unauthenticated("eventgrid-publish: a bearer token given, no entra section configured");
    const credential = await this.#entra.check({ headers, bearer });
    if (credential.kind === "valid") return;
    throw unauthenticated(
      `eventgrid-publish: bearer token: ${credential.kind === "invalid" ? credential.reason : "not a JWT"}`,
    );
  }
}
