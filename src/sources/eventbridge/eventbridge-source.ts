/**
 * `type: eventbridge`: Amazon EventBridge events as an API destination
 * delivers them (the whole event as the body, the rule's target having no
 * input transformer), authenticated as the destination's connection
 * authorizes (eventbridge-auth.ts) and converted as eventbridge-event.ts says.
 */
import { tokenCheckProperties } from "../cloud/bearer-token.js";
import type { Source, SourceConfig, SourceOutcome, SourceRequest, SourceType } from "../source.js";
import { EventBridgeAuth, type EventBridgeAuthConfig } from "./eventbridge-auth.js";
import { eventBridgeEvent } from "./eventbridge-event.js";

export type EventBridgeSourceConfig = SourceConfig & EventBridgeAuthConfig;

class EventBridgeSource implements Source {
  readonly type = "eventbridge";
  readonly path: string;
  readonly maxBodyBytes: number | undefined;
  readonly verifiesSender: boolean;
  readonly #auth: EventBridgeAuth;

  constructor(config: EventBridgeSourceConfig) {
    this.path = config.path;
    this.maxBodyBytes = config.maxBodyBytes;
    this.#auth = new EventBridgeAuth(config);
    // Without a check of its own, the gateway's `auth` section applies to the path.
    this.verifiesSender = this.#auth.proves;
  }

  async decode(request: SourceRequest): Promise<SourceOutcome> {
    await this.#auth.verify(request);
    return { kind: "events", batch: false, events: [eventBridgeEvent(request)] };
  }
}

const { jwksUrl, issuer, audience } = tokenCheckProperties({});

export const eventBridgeSourceType: SourceType = {
  type: "eventbridge",
  description:
    "Amazon EventBridge events from an API destination (Basic, API key or OAuth client credentials)",
  optionsSchema: {
    type: "object",
    properties: {
      basic: {
        type: "object",
        required: ["username", "password"],
        additionalProperties: false,
        description: "The connection's Basic authorization.",
        properties: {
          username: { type: "string", minLength: 1 },
          password: { type: "string", minLength: 1, description: "Use ${env:NAME}." },
        },
      },
      apiKey: {
        type: "object",
        required: ["header", "values"],
        additionalProperties: false,
        description: "The connection's API key authorization: a header name and its value.",
        properties: {
          header: {
            type: "string",
            pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$",
            description: "The header's name.",
          },
          values: {
            type: "array",
            minItems: 1,
            items: { type: "string", minLength: 1 },
            description: "Accepted values (several while rotating). Use ${env:NAME}.",
          },
        },
      },
      oauth: {
        type: "object",
        required: ["issuer", "audience", "jwksUrl"],
        additionalProperties: false,
        description:
          "The connection's OAuth client credentials: the access token it gets is checked as a JWT of that authorization server.",
        properties: {
          jwksUrl,
          issuer,
          audience,
          requiredClaims: {
            type: "object",
            additionalProperties: { type: ["string", "number", "boolean"] },
            description:
              "Claims the token must carry with exactly these values, such as the connection's client id (client_id, azp or appid, as the server names it): any client of the server may otherwise get a token for the audience.",
          },
        },
      },
      allowUnauthenticated: {
        type: "boolean",
        description:
          "true: nothing is checked, so anyone who can reach the path can post events (the gateway's auth section applies instead).",
      },
    },
  },
  create: (config) => new EventBridgeSource(config as EventBridgeSourceConfig),
};
