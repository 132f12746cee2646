/**
 * `type: hmac`: the generic signed webhook, as Stripe, Shopify, Slack and
 * most others send it: an HMAC of the body (and, for some, a timestamp)
 * with a shared secret, in a header. The signature is checked over the raw
 * bytes first, in constant time, with any of the configured secrets; only
 * then is the body, one JSON object, parsed and mapped. Without a mapped id,
 * the id is the deterministic hash of the body (as for `json`).
 */
import { decodeJsonObjectEvent } from "../json-object-event.js";
import { HmacSecrets, unauthenticated } from "../signature/hmac-secrets.js";
import { decodeSignatures, MAX_SIGNATURES } from "../signature/signature-values.js";
import { timestampProblem } from "../signature/signed-timestamp.js";
import type { Source, SourceOutcome, SourceRequest, SourceType } from "../source.js";
import {
  compileHmacScheme,
  type HmacScheme,
  type HmacSourceConfig,
  hmacOptionsSchema,
  type SignedTimestamp,
} from "./hmac-options.js";
import { readSignatureHeader } from "./signature-header.js";
import { signedBytes } from "./signed-template.js";

class HmacSource implements Source {
  readonly type = "hmac";
  readonly path: string;
  readonly maxBodyBytes: number | undefined;
  readonly verifiesSender = true;
  readonly #scheme: HmacScheme;
  readonly #secrets: HmacSecrets;

  constructor(config: HmacSourceConfig) {
    this.path = config.path;
    this.maxBodyBytes = config.maxBodyBytes;
    this.#scheme = compileHmacScheme(config);
    this.#secrets = new HmacSecrets(this.#scheme.secrets, this.#scheme.algorithm);
  }

  async decode(request: SourceRequest): Promise<SourceOutcome> {
    await this.#verify(request);
    return decodeJsonObjectEvent(request, this.#scheme.mapping);
  }

  /** Proves the sender over the raw bytes, before anything is parsed. */
  async #verify(request: SourceRequest): Promise<void> {
    const { header } = this.#scheme;
    const value = request.headers.get(header.name);
    if (!value) throw unauthenticated(`hmac: the request has no ${header.name} header`);
    const read = readSignatureHeader(value, header);
    const signedAt = this.#checkedTimestamp(request, read.timestamps);
    if (read.signatures.length === 0) throw unauthenticated(`hmac: ${header.name} holds no signature`);
    if (read.signatures.length > MAX_SIGNATURES)
      throw unauthenticated(
        `hmac: ${header.name} holds ${read.signatures.length} signatures; at most ${MAX_SIGNATURES} are checked`,
      );
    const signatures = decodeSignatures(read.signatures, this.#scheme.encoding);
    const message = signedBytes(this.#scheme.signed, request.body, signedAt);
    if (signatures.length === 0 || !(await this.#secrets.verifiesAny(signatures, message)))
      throw unauthenticated(
        `hmac: no signature in ${header.name} matches any of the ${this.#secrets.count} secrets (${this.#scheme.algorithm}, ${this.#scheme.encoding})`,
      );
  }

  /**
   * The signed timestamp's text, when the scheme has one, within the
   * tolerance of the arrival time; 401 when it is absent, given twice or out of range.
   */
  #checkedTimestamp(request: SourceRequest, parts: readonly string[]): string | undefined {
    const timestamp = this.#scheme.timestamp;
    if (timestamp === undefined) return undefined;
    const text = this.#timestampText(request, timestamp.from, parts);
    const stale = timestampProblem(text, request.receivedAt, timestamp.toleranceSeconds);
    if (stale !== undefined) throw unauthenticated(`hmac: ${stale}`);
    return text;
  }

  #timestampText(request: SourceRequest, from: SignedTimestamp["from"], parts: readonly string[]): string {
    if (from.kind === "header") {
      const text = request.headers.get(from.name);
      if (!text) throw unauthenticated(`hmac: the request has no ${from.name} header`);
      return text;
    }
    const [text] = parts;
    if (text === undefined || parts.length > 1)
      throw unauthenticated(
        `hmac: ${this.#scheme.header.name} has ${parts.length === 0 ? "no" : parts.length} ${from.key}= parts; one is needed`,
      );
    return text;
  }
}

export const hmacSourceType: SourceType = {
  type: "hmac",
  description:
    "Webhooks signed with an HMAC in a header (Stripe, Shopify, Slack and most others), by preset or by options",
  optionsSchema: hmacOptionsSchema,
  create: (config) => new HmacSource(config as HmacSourceConfig),
};
