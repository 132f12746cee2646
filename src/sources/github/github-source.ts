/**
 * `type: github`: GitHub webhook deliveries. The signature is checked over
 * the body bytes before anything is read from them; the event's attributes
 * follow the CloudEvents project's GitHub adapter (github-event-rules.ts),
 * its id is the X-GitHub-Delivery header, its data the JSON payload, and an
 * optional `event:` mapping takes the place of any built-in attribute.
 * A `ping` is answered 200 and routed nowhere.
 */
import type { HeaderReader } from "../../bindings/http/header-reader.js";
import { type FieldFailure, GatewayError } from "../../errors/errors.js";
import { ExpressionBudget } from "../../expression/expression-budget.js";
import { stringViolation } from "../../normalize/attribute-rules.js";
import { compileEventMapping, type EventMapping } from "../event-mapping.js";
import { mapEvent, refuseUnmappable, runMappings } from "../map-event.js";
import { HmacSecrets } from "../signature/hmac-secrets.js";
import type { Source, SourceConfig, SourceOutcome, SourceRequest, SourceType } from "../source.js";
import { headerObject } from "../source-input.js";
import { eventMappingSchema, secretsSchema } from "../source-schemas.js";
import { githubAttributes } from "./github-attributes.js";
import { readGithubPayload } from "./github-payload.js";
import { verifyGithubSignature } from "./github-signature.js";

export interface GithubSourceConfig extends SourceConfig {
  /** Absent: no signature check at all (anyone who can reach the path can send events). */
  readonly secrets?: readonly string[];
  readonly event?: Readonly<Record<string, string>>;
}

/** GitHub's event names are lower-case words joined by `_`; this keeps `type` free of spaces and controls. */
const EVENT_NAME = /^[A-Za-z0-9_.-]+$/;

interface Delivery {
  readonly event: string;
  readonly id: string;
}

/** The headers every delivery carries; 400 naming each that is absent or unusable. */
function deliveryHeaders(headers: HeaderReader): Delivery {
  const event = headers.get("x-github-event")?.trim() ?? "";
  const id = headers.get("x-github-delivery")?.trim() ?? "";
  const failures: FieldFailure[] = [];
  if (!EVENT_NAME.test(event))
    failures.push({
      header: "x-github-event",
      code: event === "" ? "missing-header" : "invalid-header",
      detail:
        event === ""
          ? "X-GitHub-Event names the event; a GitHub delivery always has it"
          : `X-GitHub-Event "${event}" is not a GitHub event name (letters, digits, _, - and .)`,
    });
  if (id === "")
    failures.push({
      header: "x-github-delivery",
      code: "missing-header",
      detail: "X-GitHub-Delivery is the event's id; a GitHub delivery always has it",
    });
  if (failures.length > 0)
    throw new GatewayError("unmappable-request", "The request is not a GitHub webhook delivery", {
      failures,
    });
  return { event, id };
}

/** The webhook's id, as the extension `githubhookid`, when the header has a usable value. */
function hookIdOf(headers: HeaderReader): Record<string, string> {
  const hookId = headers.get("x-github-hook-id")?.trim();
  return hookId === undefined || hookId === "" || stringViolation(hookId) !== undefined
    ? {}
    : { githubhookid: hookId };
}

class GithubSource implements Source {
  readonly type = "github";
  readonly path: string;
  readonly maxBodyBytes: number | undefined;
  get verifiesSender(): boolean {
    return this.#secrets !== undefined;
  }
  readonly #secrets: HmacSecrets | undefined;
  readonly #mapping: EventMapping;

  constructor(config: GithubSourceConfig) {
    this.path = config.path;
    this.maxBodyBytes = config.maxBodyBytes;
    const encoder = new TextEncoder();
    this.#secrets =
      config.secrets === undefined
        ? undefined
        : new HmacSecrets(
            config.secrets.map((secret) => encoder.encode(secret)),
            "SHA-256",
          );
    this.#mapping = compileEventMapping(config.event ?? {}, ["event"]);
  }

  async decode(request: SourceRequest): Promise<SourceOutcome> {
    if (this.#secrets !== undefined)
      await verifyGithubSignature(this.#secrets, request.headers, request.body);
    const delivery = deliveryHeaders(request.headers);
    const payload = readGithubPayload(request.headers.get("content-type"), request.body, request.jsonLimits);
    if (delivery.event === "ping") {
      const zen = (payload.value as { zen?: unknown }).zen;
      return {
        kind: "reply",
        status: 200,
        body: { pong: true, ...(typeof zen === "string" ? { zen } : {}) },
      };
    }
    const at = { index: 0, pointerPrefix: "" };
    const budget = new ExpressionBudget();
    const event = await runMappings(budget, () =>
      mapEvent({
        mapping: this.#mapping,
        input: { body: payload.value, headers: headerObject(request.headers), query: request.query },
        budget,
        at,
        data: payload.bytes,
        base: {
          id: delivery.id,
          ...githubAttributes(delivery.event, payload.value),
          ...hookIdOf(request.headers),
        },
      }),
    );
    refuseUnmappable(event.failures);
    return { kind: "events", batch: false, events: [event] };
  }
}

export const githubSourceType: SourceType = {
  type: "github",
  description:
    "GitHub webhooks (JSON or form-encoded), signature-checked, mapped as the CloudEvents GitHub adapter says",
  optionsSchema: {
    type: "object",
    properties: { secrets: secretsSchema, event: eventMappingSchema() },
  },
  create: (config) => new GithubSource(config as GithubSourceConfig),
};
