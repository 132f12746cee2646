/**
 * `type: standard-webhooks`: webhooks signed as the Standard Webhooks
 * specification says (standardwebhooks.com). `webhook-signature` carries
 * space-separated `v1,<base64>` HMAC-SHA256 signatures over
 * `<webhook-id>.<webhook-timestamp>.<body>`; `webhook-timestamp` must be within
 * the tolerance of the arrival time; `webhook-id` becomes the event's id.
 *
 * `time` is not taken from `webhook-timestamp`: that is when this attempt was
 * sent, and it changes on every retry, so the same event would arrive with a
 * different time each time. The specification puts the event's own time in
 * the body (`body.timestamp`); a mapping names it when the sender follows that.
 */
import { compileEventMapping, type EventMapping } from "../event-mapping.js";
import { decodeJsonObjectEvent } from "../json-object-event.js";
import { OptionProblems } from "../option-problems.js";
import { concatBytes, HmacSecrets, unauthenticated } from "../signature/hmac-secrets.js";
import { decodeSignatures, MAX_SIGNATURES } from "../signature/signature-values.js";
import {
  DEFAULT_TOLERANCE_SECONDS,
  timestampProblem,
  toleranceSchema,
} from "../signature/signed-timestamp.js";
import type { Source, SourceConfig, SourceOutcome, SourceRequest, SourceType } from "../source.js";
import { eventMappingSchema, secretsSchema } from "../source-schemas.js";
import { decodeWebhookSecret } from "./webhook-secret.js";

export interface StandardWebhooksSourceConfig extends SourceConfig {
  /** `whsec_<base64>` (or bare base64); several while one is rotated out. */
  readonly secrets: readonly string[];
  readonly toleranceSeconds?: number;
  readonly event: Readonly<Record<string, string>>;
}

/** The only signature version the specification defines for a shared secret (`v1a` is an asymmetric one). */
const VERSION = "v1,";

function decodeSecrets(secrets: readonly string[]): Uint8Array[] {
  const problems = new OptionProblems();
  const keys = secrets.map((secret, i) => {
    const key = decodeWebhookSecret(secret);
    // The message never repeats the value: it is a secret, and it may be one that almost works.
    if (key === undefined)
      problems.add(["secrets", i], "not a Standard Webhooks secret: expected whsec_ followed by base64");
    return key;
  });
  problems.throwIfAny("The secrets do not decode");
  return keys as Uint8Array[];
}

class StandardWebhooksSource implements Source {
  readonly type = "standard-webhooks";
  readonly path: string;
  readonly maxBodyBytes: number | undefined;
  readonly verifiesSender = true;
  readonly #secrets: HmacSecrets;
  readonly #toleranceSeconds: number;
  readonly #mapping: EventMapping;

  constructor(config: StandardWebhooksSourceConfig) {
    this.path = config.path;
    this.maxBodyBytes = config.maxBodyBytes;
    this.#toleranceSeconds = config.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
    const problems = new OptionProblems();
    const keys = problems.attempt(() => decodeSecrets(config.secrets));
    const mapping = problems.attempt(() => compileEventMapping(config.event, ["event"]));
    problems.throwIfAny("The standard-webhooks source does not compile");
    this.#secrets = new HmacSecrets(keys ?? [], "SHA-256");
    this.#mapping = mapping ?? [];
  }

  async decode(request: SourceRequest): Promise<SourceOutcome> {
    const id = await this.#verify(request);
    return decodeJsonObjectEvent(request, this.#mapping, { id });
  }

  /** Proves the sender, before anything is parsed; returns the webhook id. */
  async #verify(request: SourceRequest): Promise<string> {
    const id = request.headers.get("webhook-id");
    const timestamp = request.headers.get("webhook-timestamp");
    const signature = request.headers.get("webhook-signature");
    if (!id || !timestamp || !signature) {
      const missing = Object.entries({
        "webhook-id": id,
        "webhook-timestamp": timestamp,
        "webhook-signature": signature,
      })
        .filter(([, value]) => !value)
        .map(([name]) => name);
      throw unauthenticated(
        `standard-webhooks: the request has no ${missing.join(", ")} header${missing.length > 1 ? "s" : ""}`,
      );
    }
    const stale = timestampProblem(timestamp, request.receivedAt, this.#toleranceSeconds);
    if (stale !== undefined) throw unauthenticated(`standard-webhooks: webhook-timestamp: ${stale}`);
    // Space-separated; a header sent twice arrives joined with ", ", so a comma before a space separates too.
    const candidates = signature
      .split(/,?\s+/)
      .filter((entry) => entry.startsWith(VERSION))
      .map((entry) => entry.slice(VERSION.length));
    if (candidates.length === 0)
      throw unauthenticated("standard-webhooks: webhook-signature has no v1 signature");
    if (candidates.length > MAX_SIGNATURES)
      throw unauthenticated(
        `standard-webhooks: webhook-signature has ${candidates.length} v1 signatures; at most ${MAX_SIGNATURES} are checked`,
      );
    const signatures = decodeSignatures(candidates, "base64");
    const message = concatBytes(`${id}.${timestamp}.`, request.body);
    if (signatures.length === 0 || !(await this.#secrets.verifiesAny(signatures, message)))
      throw unauthenticated(
        `standard-webhooks: no v1 signature in webhook-signature matches any of the ${this.#secrets.count} secrets`,
      );
    return id;
  }
}

export const standardWebhooksSourceType: SourceType = {
  type: "standard-webhooks",
  description:
    "Webhooks signed per the Standard Webhooks specification (webhook-id, webhook-timestamp, webhook-signature)",
  optionsSchema: {
    type: "object",
    required: ["secrets", "event"],
    properties: {
      secrets: {
        ...secretsSchema,
        description:
          "Signing secrets, whsec_ followed by base64 (the key is the decoded bytes); a request signed with any of them passes. Use ${env:NAME}.",
      },
      toleranceSeconds: toleranceSchema,
      event: eventMappingSchema({ required: ["type", "source"] }),
    },
  },
  create: (config) => new StandardWebhooksSource(config as StandardWebhooksSourceConfig),
};
