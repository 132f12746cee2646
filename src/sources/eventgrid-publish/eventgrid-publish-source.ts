/**
 * `type: eventgrid-publish`: the Event Grid topic publish API, so a producer
 * using an Event Grid SDK (`EventGridPublisherClient`) publishes through the
 * gateway by changing only its endpoint and key. `POST <path>?api-version=...`
 * with
 *
 * - the CloudEvents schema: `application/cloudevents-batch+json` (a list, what
 *   the SDKs send) or `application/cloudevents+json` (one event), decoded
 *   exactly as POST /events decodes them;
 * - the Event Grid schema: `application/json`, a list of Event Grid events
 *   (one object is taken too), mapped as eventgrid-schema-events.ts says.
 *
 * Answered `200` with an empty body, as Event Grid answers (the SDK treats
 * anything else as a failure, and its caller retries).
 *
 * With `namespace: true`, the namespace topic publish API instead:
 * `POST .../topics/{topic}:publish?api-version=...`, CloudEvents only,
 * `Authorization: SharedAccessKey <key>` or an Entra ID bearer, answered
 * `200 {}`.
 */
import type { JwtConfig } from "../../auth/auth-config.js";
import { decodeHttpRequest, scanJsonBody } from "../../bindings/http/decode.js";
import { scanJsonArrayDocument, scanJsonObjectDocument } from "../../codec/json-scan.js";
import { parseMediaType } from "../../codec/media-type.js";
import { GatewayError, malformedBody, unsupportedMediaType } from "../../errors/errors.js";
import type {
  Source,
  SourceAcceptedReply,
  SourceConfig,
  SourceOutcome,
  SourceRequest,
  SourceType,
} from "../source.js";
import { SourceOptionError } from "../source.js";
import { EventGridCredentials } from "./eventgrid-credentials.js";
import { checkEntraOptions, eventGridSourceOptionsSchema } from "./eventgrid-publish-schema.js";
import { eventGridSchemaEvent } from "./eventgrid-schema-events.js";

export interface EventGridPublishSourceConfig extends SourceConfig {
  readonly accessKeys?: readonly string[];
  readonly sasResources?: readonly string[];
  readonly entra?: JwtConfig;
  /** `source` for Event Grid schema events without a `topic`. */
  readonly topic?: string;
  /** Serve a namespace topic's publish API (`:publish`) rather than a topic's. */
  readonly namespace?: boolean;
}

const TOPIC_REPLY: SourceAcceptedReply = { status: 200, body: "" };
const NAMESPACE_REPLY: SourceAcceptedReply = { status: 200, body: "{}" };
const NAMESPACE_PATH = /\/topics\/[^/]+:publish$/;

/** 400 for a request without `api-version`, which Event Grid refuses too. */
function missingApiVersion(): GatewayError {
  return new GatewayError("unmappable-request", "The api-version query parameter is required", {
    failures: [
      {
        query: "api-version",
        code: "missing-api-version",
        detail: "query parameter api-version is missing (the Event Grid SDKs send api-version=2018-01-01)",
      },
    ],
  });
}

class EventGridPublishSource implements Source {
  readonly type = "eventgrid-publish";
  readonly path: string;
  readonly maxBodyBytes: number | undefined;
  readonly verifiesSender = true;
  readonly #credentials: EventGridCredentials;
  readonly #topic: string | undefined;
  readonly #namespace: boolean;

  constructor(config: EventGridPublishSourceConfig) {
    this.path = config.path;
    this.maxBodyBytes = config.maxBodyBytes;
    this.#topic = config.topic;
    this.#namespace = config.namespace === true;
    if (this.#namespace && !NAMESPACE_PATH.test(config.path))
      throw new SourceOptionError(
        ["path"],
        "a namespace topic's publish path ends in /topics/{topic}:publish",
      );
    checkEntraOptions(config.entra);
    this.#credentials = new EventGridCredentials(config);
  }

  async decode(request: SourceRequest): Promise<SourceOutcome> {
    await this.#credentials.verify(request.headers, request.receivedAt, this.#namespace);
    const apiVersion = request.query["api-version"];
    if (typeof apiVersion !== "string" || apiVersion === "") throw missingApiVersion();
    const contentType = request.headers.get("content-type") ?? "";
    if (contentType.trimStart().toLowerCase().startsWith("application/cloudevents")) {
      const decoded = decodeHttpRequest(request.headers, request.body, {
        maxBatchEvents: request.maxEvents,
        json: request.jsonLimits,
      });
      return { kind: "events", batch: decoded.mode === "batch", events: [...decoded.events] };
    }
    const essence = parseMediaType(contentType)?.essence;
    if (this.#namespace)
      throw unsupportedMediaType(
        `A namespace topic takes application/cloudevents-batch+json or application/cloudevents+json, not "${contentType}"`,
      );
    if (essence !== "application/json")
      throw unsupportedMediaType(
        `Send application/json (Event Grid schema) or application/cloudevents-batch+json, not "${contentType}"`,
      );
    return this.#eventGridSchema(request);
  }

  #eventGridSchema(request: SourceRequest): SourceOutcome {
    const { body, jsonLimits } = request;
    const scanned = scanJsonBody(body, () => scanJsonArrayDocument(body, request.maxEvents, jsonLimits));
    if (scanned.elements !== undefined) {
      const events = scanned.elements.map((element, i) =>
        eventGridSchemaEvent(body, element, i, `/${i}`, this.#topic),
      );
      return { kind: "events", batch: true, events };
    }
    if (scanned.span.kind !== "object")
      throw malformedBody("An Event Grid schema body is a JSON array of events (or one event object)");
    // Scanned again for its members: one object is the rare form (the SDKs always send a list).
    const object = scanJsonBody(body, () => scanJsonObjectDocument(body, jsonLimits));
    return { kind: "events", batch: false, events: [eventGridSchemaEvent(body, object, 0, "", this.#topic)] };
  }

  acceptedReply(): SourceAcceptedReply {
    return this.#namespace ? NAMESPACE_REPLY : TOPIC_REPLY;
  }
}

export const eventGridPublishSourceType: SourceType = {
  type: "eventgrid-publish",
  description:
    "The Event Grid publish API of a topic (CloudEvents or Event Grid schema; aeg-sas-key, aeg-sas-token or Entra ID bearer) or of a namespace topic (namespace: true), answered 200 as Event Grid answers",
  optionsSchema: eventGridSourceOptionsSchema,
  create: (config) => new EventGridPublishSource(config as EventGridPublishSourceConfig),
};
