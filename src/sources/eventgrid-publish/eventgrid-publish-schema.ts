/** The options of `type: eventgrid-publish` (JSON Schema), and the checks the schema cannot make. */
import type { JsonSchema } from "../../adapter/adapter.js";
import type { JwtConfig } from "../../auth/auth-config.js";
import { jwtSchema } from "../../auth/auth-schema.js";
import { jwtConfigIssues } from "../../auth/jwt/jwt-config-check.js";
import { BASE64_PATTERN } from "../../codec/base64.js";
import { OptionProblems } from "../option-problems.js";

const {
  grants: _grants,
  principalClaim: _principal,
  ...entraProperties
} = (jwtSchema as { properties: Record<string, unknown> }).properties;

export const eventGridSourceOptionsSchema: JsonSchema = {
  type: "object",
  anyOf: [{ required: ["accessKeys"] }, { required: ["entra"] }],
  properties: {
    accessKeys: {
      type: "array",
      minItems: 1,
      items: { type: "string", pattern: BASE64_PATTERN, minLength: 4 },
      description:
        "The topic's access keys (base64, as Azure makes them): aeg-sas-key must be one, and aeg-sas-token is signed with one. Several while one is rotated. Use ${env:NAME}.",
    },
    sasResources: {
      type: "array",
      minItems: 1,
      items: { type: "string", pattern: "^https?://" },
      description:
        "The URLs producers are given for this source (https://gateway.example.com/api/events); an aeg-sas-token's r must be one of them. Absent: aeg-sas-token is refused.",
    },
    entra: {
      type: "object",
      additionalProperties: false,
      required: ["issuer", "audience"],
      properties: entraProperties,
      description:
        "Microsoft Entra ID bearer tokens: issuer (https://login.microsoftonline.com/<tenant>/v2.0), audience (https://eventgrid.azure.net) and jwksUrl or keys, checked like auth.jwt.",
    },
    namespace: {
      type: "boolean",
      default: false,
      description:
        "true: serve a namespace topic's publish API (path .../topics/{topic}:publish, CloudEvents only, Authorization: SharedAccessKey <key> or Entra ID), answered 200 {}.",
    },
    topic: {
      type: "string",
      minLength: 1,
      description:
        "The source of Event Grid schema events that carry no topic (Event Grid stamps the topic's resource id there).",
    },
  },
};

/** Throws the problems of `entra` a schema cannot see (a private key, an http JWKS), at their paths. */
export function checkEntraOptions(entra: JwtConfig | undefined): void {
  const problems = new OptionProblems();
  for (const issue of jwtConfigIssues(entra)) problems.add(["entra", ...issue.path], issue.message);
  problems.throwIfAny("The eventgrid-publish source's entra section is invalid");
}
