/**
 * `type: pubsub-publish`: Pub/Sub's REST publish,
 * `POST /v1/projects/{project}/topics/{topic}:publish`, so a producer using
 * a Pub/Sub client library publishes through the gateway by changing only its
 * endpoint and credentials. Each message becomes one CloudEvent
 * (pubsub-message-event.ts); the answer is Pub/Sub's, `{"messageIds": [...]}`
 * in message order: a CloudEvent message's id is its event's id, any other
 * message's the id the gateway gave it.
 *
 * Authenticated by an API key of the gateway's own, in `x-goog-api-key` (what
 * Google's auth library sends for `new GoogleAuth({apiKey})`) or as
 * `Authorization: Bearer <key>`: a Google access token cannot be verified
 * without calling Google, so it is not taken.
 */

import { bearerOf } from "../../auth/authenticator.js";
import type { AcceptedBody } from "../../respond/accepted-response.js";
import { unauthenticated } from "../signature/hmac-secrets.js";
import { PresentedKeys } from "../signature/presented-keys.js";
import type {
  Source,
  SourceAcceptedReply,
  SourceConfig,
  SourceOutcome,
  SourceRequest,
  SourceType,
} from "../source.js";
import { SourceOptionError } from "../source.js";
import type { PathParams } from "../source-path.js";
import { messageEvent, type PublishContext } from "./pubsub-message-event.js";
import { readPublishRequest } from "./pubsub-messages.js";

export interface PubsubPublishSourceConfig extends SourceConfig {
  readonly apiKeys: readonly string[];
}

/** Where the project and topic come from: a `{name}` part of the path, or the path's literal text. */
type Part = { readonly param: string } | { readonly literal: string };

const RESOURCE = /\/projects\/([^/]+)\/topics\/([^/]+):publish$/;

function partOf(text: string): Part {
  const param = /^\{([a-z][A-Za-z0-9]*)\}$/.exec(text)?.[1];
  return param === undefined ? { literal: text } : { param };
}

const partValue = (part: Part, params: PathParams): string =>
  "literal" in part ? part.literal : (params[part.param] as string);

/** A Pub/Sub-like message id: a random decimal string of up to 19 digits. */
function newMessageId(): string {
  const [high = 0, low = 0] = crypto.getRandomValues(new Uint32Array(2));
  return ((BigInt(high & 0x7fffffff) << 32n) | BigInt(low)).toString();
}

class PubsubPublishSource implements Source {
  readonly type = "pubsub-publish";
  readonly path: string;
  readonly maxBodyBytes: number | undefined;
  readonly verifiesSender = true;
  readonly #keys: PresentedKeys;
  readonly #project: Part;
  readonly #topic: Part;

  constructor(config: PubsubPublishSourceConfig) {
    this.path = config.path;
    this.maxBodyBytes = config.maxBodyBytes;
    const resource = RESOURCE.exec(config.path);
    if (resource === null)
      throw new SourceOptionError(
        ["path"],
        "must end in /projects/{project}/topics/{topic}:publish (either part may be written out instead)",
      );
    this.#project = partOf(resource[1] as string);
    this.#topic = partOf(resource[2] as string);
    this.#keys = new PresentedKeys(config.apiKeys);
  }

  async decode(request: SourceRequest): Promise<SourceOutcome> {
    await this.#verify(request);
    const messages = readPublishRequest(request.body, request.maxEvents, request.jsonLimits);
    const context: PublishContext = {
      project: partValue(this.#project, request.pathParams),
      topic: partValue(this.#topic, request.pathParams),
      publishTime: new Date(request.receivedAt).toISOString(),
      jsonLimits: request.jsonLimits,
      newMessageId,
    };
    return { kind: "events", batch: true, events: messages.map((message) => messageEvent(message, context)) };
  }

  async #verify(request: SourceRequest): Promise<void> {
    const key = request.headers.get("x-goog-api-key") ?? bearerOf(request.headers, undefined);
    if (key === null || key === undefined)
      throw unauthenticated("pubsub-publish: no x-goog-api-key header and no bearer token");
    if (!(await this.#keys.matches(key)))
      throw unauthenticated("pubsub-publish: the API key matches none of the apiKeys");
  }

  acceptedReply(accepted: AcceptedBody): SourceAcceptedReply {
    return { status: 200, body: JSON.stringify({ messageIds: accepted.events.map((event) => event.id) }) };
  }
}

export const pubsubPublishSourceType: SourceType = {
  type: "pubsub-publish",
  description:
    "Pub/Sub's REST publish (POST /v1/projects/{project}/topics/{topic}:publish), authenticated by an API key, answered with messageIds",
  optionsSchema: {
    type: "object",
    required: ["apiKeys"],
    properties: {
      apiKeys: {
        type: "array",
        minItems: 1,
        items: { type: "string", minLength: 16 },
        description:
          "API keys producers present in x-goog-api-key (or as Authorization: Bearer <key>); several while one is rotated. At least 16 characters. Use ${env:NAME}.",
      },
    },
  },
  create: (config) => new PubsubPublishSource(config as PubsubPublishSourceConfig),
};
