/**
 * `type: pubsub-push`: what a Google Cloud Pub/Sub push subscription (or an
 * Eventarc trigger) POSTs, wrapped or unwrapped (push-message.ts). A message
 * that carries a CloudEvent becomes that event; any other becomes Eventarc's
 * `google.cloud.pubsub.topic.v1.messagePublished` (push-message-event.ts),
 * whose source names the topic the config gives, since a push names only
 * its subscription.
 *
 * The sender is proven by the OIDC token Pub/Sub signs for the subscription's
 * service account: signature (Google's published keys), issuer, audience and
 * expiry, and `email` equal to that service account with `email_verified`.
 * The email matters most: anyone with a Google account can have Google sign
 * a token for any audience, so issuer and audience alone prove nothing.
 */

import { BearerTokenVerifier, tokenCheckProperties } from "../cloud/bearer-token.js";
import { credentialRefused } from "../cloud/credential-refused.js";
import { OptionProblems } from "../option-problems.js";
import type { Source, SourceConfig, SourceOutcome, SourceRequest, SourceType } from "../source.js";
import { readPushMessage } from "./push-message.js";
import { cloudEventOfMessage, isCloudEventMessage, messagePublishedEvent } from "./push-message-event.js";

export const GOOGLE_JWKS_URL = "https://www.googleapis.com/oauth2/v3/certs";
/** Google signs ID tokens with either form of its issuer. */
export const GOOGLE_ISSUERS = ["https://accounts.google.com", "accounts.google.com"];

export interface PubsubPushSourceConfig extends SourceConfig {
  /** `projects/P/topics/T`: the topic the subscription is on. */
  readonly topic: string;
  readonly oidc?: {
    readonly audience: string | readonly string[];
    readonly serviceAccount: string;
    readonly jwksUrl?: string;
    readonly issuer?: string | readonly string[];
  };
  readonly allowUnauthenticated?: boolean;
}

class PubsubPushSource implements Source {
  readonly type = "pubsub-push";
  readonly path: string;
  readonly maxBodyBytes: number | undefined;
  readonly verifiesSender: boolean;
  readonly #topic: string;
  readonly #token: BearerTokenVerifier | undefined;

  constructor(config: PubsubPushSourceConfig) {
    this.path = config.path;
    this.maxBodyBytes = config.maxBodyBytes;
    this.#topic = config.topic;
    const problems = new OptionProblems();
    const oidc = config.oidc;
    if (oidc === undefined && config.allowUnauthenticated !== true)
      problems.add(
        ["oidc"],
        "is required: the push's OIDC token is what proves Pub/Sub sent it (or set allowUnauthenticated: true to accept pushes from anyone who can reach the path)",
      );
    if (oidc !== undefined && config.allowUnauthenticated === true)
      problems.add(["allowUnauthenticated"], "cannot be true while oidc is set: choose one");
    this.#token =
      oidc === undefined
        ? undefined
        : problems.attempt(
            () =>
              new BearerTokenVerifier(
                {
                  jwksUrl: oidc.jwksUrl ?? GOOGLE_JWKS_URL,
                  issuer: oidc.issuer ?? GOOGLE_ISSUERS,
                  audience: oidc.audience,
                  requiredClaims: { email: oidc.serviceAccount, email_verified: true },
                },
                ["oidc"],
              ),
          );
    problems.throwIfAny("The pubsub-push source does not compile");
    // Without the token check, the gateway's own `auth` (API keys, JWT) applies to the path.
    this.verifiesSender = this.#token !== undefined;
  }

  async decode(request: SourceRequest): Promise<SourceOutcome> {
    if (this.#token !== undefined) {
      const refusal = await this.#token.refusal(request.headers);
      if (refusal !== undefined) throw credentialRefused(`pubsub-push: ${refusal}`);
    }
    const message = readPushMessage(request);
    const event = isCloudEventMessage(message)
      ? cloudEventOfMessage(message, request.jsonLimits)
      : messagePublishedEvent(message, this.#topic);
    return { kind: "events", batch: false, events: [event] };
  }
}

export const pubsubPushSourceType: SourceType = {
  type: "pubsub-push",
  description:
    "Google Cloud Pub/Sub push deliveries and Eventarc (wrapped or unwrapped), proven by the push's OIDC token",
  optionsSchema: {
    type: "object",
    required: ["topic"],
    properties: {
      topic: {
        type: "string",
        pattern: "^projects/[^/]+/topics/[^/]+$",
        description:
          "The subscription's topic, projects/P/topics/T: the source of messagePublished events is //pubsub.googleapis.com/ and this.",
      },
      oidc: {
        type: "object",
        required: ["audience", "serviceAccount"],
        additionalProperties: false,
        description: "The push subscription's authentication: the OIDC token Google signs for it.",
        properties: {
          ...tokenCheckProperties({ jwksUrl: GOOGLE_JWKS_URL, issuer: GOOGLE_ISSUERS.join(" or ") }),
          audience: {
            anyOf: [
              { type: "string", minLength: 1 },
              { type: "array", minItems: 1, items: { type: "string", minLength: 1 } },
            ],
            description:
              "The subscription's pushConfig.oidcToken.audience (by default Google uses the push endpoint URL).",
          },
          serviceAccount: {
            type: "string",
            minLength: 3,
            description:
              "The subscription's pushConfig.oidcToken.serviceAccountEmail: the token's email must be it, and verified.",
          },
        },
      },
      allowUnauthenticated: {
        type: "boolean",
        description:
          "true: no token is checked, so anyone who can reach the path can post messages (the gateway's auth section applies instead). Only for a path nothing else can reach.",
      },
    },
  },
  create: (config) => new PubsubPushSource(config as PubsubPushSourceConfig),
};
