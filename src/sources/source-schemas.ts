/** JSON Schema parts the source types share (for the config schema and editors). */
import type { JsonSchema } from "../adapter/adapter.js";

export function eventMappingSchema(options: { readonly required?: readonly string[] } = {}): JsonSchema {
  return {
    type: "object",
    description:
      "CloudEvents attributes from JSONata expressions over { body, headers (lower-case names), query }; a constant is a quoted string: \"'com.example.created'\".",
    propertyNames: { pattern: "^[a-z0-9]{1,20}$" },
    additionalProperties: { type: "string", minLength: 1 },
    ...(options.required === undefined ? {} : { required: [...options.required] }),
  };
}

/** Secrets for signature checks: several, so one can be rotated without refusing the other's requests. */
export const secretsSchema: JsonSchema = {
  type: "array",
  minItems: 1,
  items: { type: "string", minLength: 1 },
  description:
    "Accepted signing secrets; a request signed with any of them passes (rotation). Use ${env:NAME}.",
};
