/**
 * `type: eventgrid`: what an Azure Event Grid subscription delivers to a
 * webhook. With the Event Grid schema, a JSON array of events (one object is
 * taken too), each converted as eventgrid-event.ts says; the subscription's
 * validation request (`Microsoft.EventGrid.SubscriptionValidationEvent`) is
 * answered `200 {"validationResponse": code}` and routed nowhere. With the
 * CloudEvents schema (`application/cloudevents+json` or `-batch+json`), the
 * events are taken as they are, and OPTIONS on the path answers the webhook
 * handshake Event Grid validates such an endpoint with.
 */
import { decodeHttpRequest, scanJsonBody } from "../../bindings/http/decode.js";
import { scanJsonArrayDocument, scanJsonObjectDocument, withoutBom } from "../../codec/json-scan.js";
import { decodeUtf8 } from "../../codec/utf8.js";
import { type FieldFailure, GatewayError } from "../../errors/errors.js";
import type { RawEvent } from "../../event/raw-event.js";
import { tokenCheckProperties } from "../cloud/bearer-token.js";
import type { Source, SourceConfig, SourceOutcome, SourceRequest, SourceType } from "../source.js";
import { secretsSchema } from "../source-schemas.js";
import {
  DEFAULT_QUERY_NAME,
  EVENT_GRID_APP_ID,
  EventGridAuth,
  type EventGridAuthConfig,
  entraIssuers,
  entraJwksUrl,
} from "./eventgrid-auth.js";
import {
  type EventGridItem,
  eventGridEvent,
  eventTypeOf,
  VALIDATION_EVENT,
  validationCodeOf,
} from "./eventgrid-event.js";

export type EventGridSourceConfig = SourceConfig & EventGridAuthConfig;

class EventGridSource implements Source {
  readonly type = "eventgrid";
  readonly path: string;
  readonly maxBodyBytes: number | undefined;
  readonly verifiesSender: boolean;
  readonly answersWebhookHandshake = true;
  readonly #auth: EventGridAuth;

  constructor(config: EventGridSourceConfig) {
    this.path = config.path;
    this.maxBodyBytes = config.maxBodyBytes;
    this.#auth = new EventGridAuth(config);
    // Without a check of its own, the gateway's `auth` section applies to the path.
    this.verifiesSender = this.#auth.proves;
  }

  async decode(request: SourceRequest): Promise<SourceOutcome> {
    await this.#auth.verify(request);
    const contentType = request.headers.get("content-type")?.trimStart().toLowerCase() ?? "";
    if (contentType.startsWith("application/cloudevents")) {
      const decoded = decodeHttpRequest(request.headers, request.body, {
        json: request.jsonLimits,
        maxBatchEvents: request.maxEvents,
      });
      return { kind: "events", batch: decoded.mode === "batch", events: [...decoded.events] };
    }
    return this.#eventGridSchema(request);
  }

  #eventGridSchema(request: SourceRequest): SourceOutcome {
    const body = request.body;
    const scanned = scanJsonBody(body, () =>
      scanJsonArrayDocument(body, request.maxEvents, request.jsonLimits),
    );
    // The scan has proven it is JSON within the limits: JSON.parse can neither fail nor recurse deeply.
    const parsed: unknown = JSON.parse(decodeUtf8(withoutBom(body)) ?? "");
    const list = scanned.elements !== undefined;
    const items: EventGridItem[] = list
      ? (scanned.elements ?? []).map((element, i) => ({ value: (parsed as unknown[])[i], scanned: element }))
      : // One event, not a list: scanned again for its members (the array scan keeps them only for elements).
        [{ value: parsed, scanned: scanJsonObjectDocument(body, request.jsonLimits) }];
    const prefixOf = (i: number) => (list ? `/${i}` : "");
    const validation = items.findIndex((item) => eventTypeOf(item) === VALIDATION_EVENT);
    if (validation !== -1) {
      const code = validationCodeOf(items[validation] as EventGridItem, prefixOf(validation));
      if (typeof code !== "string") throw unmappable([code]);
      return { kind: "reply", status: 200, body: { validationResponse: code } };
    }
    const failures: FieldFailure[] = [];
    const events: RawEvent[] = [];
    items.forEach((item, i) => {
      const made = eventGridEvent(body, item, i, prefixOf(i));
      if ("event" in made) events.push(made.event);
      else failures.push(...made.failures);
    });
    if (failures.length > 0) throw unmappable(failures);
    return { kind: "events", batch: list, events };
  }
}

const unmappable = (failures: FieldFailure[]) =>
  new GatewayError("unmappable-request", "The request is not an Event Grid delivery", { failures });

export const eventGridSourceType: SourceType = {
  type: "eventgrid",
  description:
    "Azure Event Grid webhook deliveries (Event Grid or CloudEvents schema), with subscription validation",
  optionsSchema: {
    type: "object",
    properties: {
      querySecret: {
        type: "object",
        required: ["values"],
        additionalProperties: false,
        description: "A secret in the endpoint URL's query, as the subscription's URL carries it.",
        properties: {
          name: {
            type: "string",
            minLength: 1,
            description: `The query parameter (default ${DEFAULT_QUERY_NAME}).`,
          },
          values: {
            ...secretsSchema,
            description: "Accepted secrets (several while rotating). Use ${env:NAME}.",
          },
        },
      },
      entraId: {
        type: "object",
        required: ["tenantId", "audience"],
        additionalProperties: false,
        description: "An Entra ID token Event Grid gets for the subscription's app, checked as a JWT.",
        properties: {
          tenantId: { type: "string", minLength: 1, description: "The directory (tenant) id." },
          senderAppId: {
            type: "string",
            minLength: 1,
            description: `The app the token must be issued to (its appid or azp claim); default Event Grid's, ${EVENT_GRID_APP_ID}.`,
          },
          ...tokenCheckProperties({
            jwksUrl: entraJwksUrl("<tenantId>"),
            issuer: entraIssuers("<tenantId>").join(" or "),
          }),
        },
      },
      allowUnauthenticated: {
        type: "boolean",
        description:
          "true: nothing is checked, so anyone who can reach the path can post events (the gateway's auth section applies instead).",
      },
    },
  },
  create: (config) => new EventGridSource(config as EventGridSourceConfig),
};
