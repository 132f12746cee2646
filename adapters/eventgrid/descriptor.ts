/** The `eventgrid` target's options (loaded without the adapter). */

import type { TargetDescriptor } from "../../src/adapter/adapter.js";
import { timeoutOption } from "../../src/adapter/timeout-option.js";
import { BASE64_PATTERN } from "../../src/codec/base64.js";
import { eventGridTargetEncoding } from "./encoding.js";
import type { EventGridOptions } from "./options.js";

/** How long one attempt may take when the options give no timeoutMs. */
const DEFAULT_TIMEOUT_MS = 10_000;

export const eventGridDescriptor: TargetDescriptor = {
  type: "eventgrid",
  optionsSchema: {
    type: "object",
    description: "Publishes CloudEvents to an Azure Event Grid topic, domain or namespace topic, losslessly.",
    properties: {
      type: { const: "eventgrid" },
      endpoint: {
        type: "string",
        description:
          "Topic: https://<topic>.<region>-1.eventgrid.azure.net/api/events; namespace: its HTTP endpoint.",
      },
      namespaceTopic: {
        type: "string",
        description: "Present: publish through the namespaces API to this topic.",
      },
      api: {
        enum: ["sdk", "rest"],
        default: "sdk",
        description:
          "sdk (Node): @azure/eventgrid where it sends events unchanged, @azure/identity for Entra ID; rest (any runtime, Workers): fetch only.",
      },
      key: {
        type: "string",
        minLength: 1,
        description: "Access key (aeg-sas-key for topics, SharedAccessKey for namespaces).",
      },
      sasToken: {
        description:
          "Topics and domains: a ready-made shared access signature, or { key, ttlSeconds } to generate them (sent as aeg-sas-token).",
        oneOf: [
          { type: "string", minLength: 1 },
          {
            type: "object",
            additionalProperties: false,
            required: ["key"],
            properties: {
              key: {
                type: "string",
                minLength: 4,
                pattern: BASE64_PATTERN,
                description: "The topic's access key (base64, as Azure shows it).",
              },
              // Above the minute before expiry at which a new one is made, so each is reused a while.
              ttlSeconds: { type: "integer", minimum: 300, default: 3600 },
            },
          },
        ],
      },
      entra: {
        type: "object",
        description: "Microsoft Entra ID client credentials.",
        additionalProperties: false,
        required: ["tenantId", "clientId", "clientSecret"],
        properties: {
          tenantId: { type: "string" },
          clientId: { type: "string" },
          clientSecret: { type: "string" },
          authorityHost: { type: "string", default: "https://login.microsoftonline.com" },
          disableInstanceDiscovery: {
            type: "boolean",
            default: false,
            description: "Do not check the authority with login.microsoftonline.com (private clouds).",
          },
        },
      },
      allowInsecure: {
        type: "boolean",
        default: false,
        description: "Allow an http:// endpoint (local test servers only).",
      },
      timeoutMs: timeoutOption(DEFAULT_TIMEOUT_MS),
    },
    required: ["type", "endpoint"],
    additionalProperties: false,
    oneOf: [{ required: ["key"] }, { required: ["sasToken"] }, { required: ["entra"] }],
    // Namespaces take SharedAccessKey or Entra ID, not aeg-sas-token.
    dependentSchemas: { namespaceTopic: { not: { required: ["sasToken"] } } },
    // An http:// endpoint only with allowInsecure.
    if: { properties: { endpoint: { pattern: "^[Hh][Tt][Tt][Pp]://" } } },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, not a thenable
    then: { required: ["allowInsecure"], properties: { allowInsecure: { const: true } } },
  },
  addressing: {},
  defaultTimeoutMs: DEFAULT_TIMEOUT_MS,
  encoding: (options: EventGridOptions) => eventGridTargetEncoding(options),
};
