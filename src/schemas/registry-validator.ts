/**
 * The validate stage backed by the registry: which schema applies (the one
 * `dataschema` names, else the latest for the type), which mode (enforce,
 * warn, off; per type), and how the data is read (JSON and +json types;
 * base64 JSON decoded first). Violations point into the event's JSON form.
 */
import { isJsonContentType } from "../codec/media-type.js";
import type { FieldFailure } from "../errors/errors.js";
import type { CloudEvent } from "../event/cloud-event.js";
import {
  type ContractVerdict,
  type EventPosition,
  type EventValidator,
  PASSED,
} from "../validate/event-validator.js";
import type { SchemaRegistry } from "./schema-registry.js";

export type ValidationMode = "enforce" | "warn" | "off";

export interface ValidationPolicy {
  readonly mode: ValidationMode;
  /** Refuse (in enforce mode) events whose type has no schema. */
  readonly requireSchema: boolean;
  /** Per event type overrides. */
  readonly types: Readonly<Record<string, { readonly mode?: ValidationMode }>>;
}

function dataOf(
  event: CloudEvent,
): { ok: true; value: unknown } | { ok: false; code: string; detail: string } {
  const { data } = event;
  const contentType = event.attributes.datacontenttype;
  if (data === undefined)
    return { ok: false, code: "missing-data", detail: "The event has no data, but its type has a schema" };
  if (!isJsonContentType(contentType)) {
    return {
      ok: false,
      code: "not-json-data",
      detail: `Data of type ${contentType} cannot be checked against a JSON Schema`,
    };
  }
  try {
    return { ok: true, value: data.json() };
  } catch {
    return { ok: false, code: "invalid-json", detail: "The data is declared JSON but does not parse" };
  }
}

export function registryValidator(registry: SchemaRegistry, policy: ValidationPolicy): EventValidator {
  return {
    validate(event: CloudEvent, position: EventPosition): ContractVerdict {
      const { type, dataschema } = event.attributes;
      const mode = policy.types[type]?.mode ?? policy.mode;
      if (mode === "off") return PASSED;
      const at = (pointer: string, code: string, detail: string): FieldFailure => ({
        index: position.index,
        pointer: `${position.pointerPrefix}${pointer}`,
        code,
        detail,
      });
      const verdict = (failures: FieldFailure[], schema?: string): ContractVerdict => ({
        failures: mode === "enforce" ? failures : [],
        warnings: mode === "warn" ? failures : [],
        ...(schema === undefined ? {} : { schema }),
      });

      const entry = dataschema === undefined ? undefined : registry.byId(dataschema);
      if (dataschema !== undefined && entry === undefined) {
        return verdict([at("/dataschema", "unknown-dataschema", `The registry has no schema ${dataschema}`)]);
      }
      const schema = entry?.version ?? registry.latest(type);
      if (schema === undefined) {
        return policy.requireSchema
          ? verdict([at("/type", "no-schema", `The registry has no schema for type ${type}`)])
          : PASSED;
      }
      if (entry === undefined && schema.eventType !== type) return PASSED;
      const validate = (entry ?? registry.byId(schema.id))?.validate;
      const data = dataOf(event);
      if (!data.ok) return verdict([at("/data", data.code, data.detail)], schema.id);
      const violations = validate?.(data.value) ?? [];
      if (violations.length === 0) return { failures: [], warnings: [], schema: schema.id };
      return verdict(
        violations.map((v) =>
          at(`/data${v.pointer}`, "schema-violation", `${v.message} (${v.keyword}, schema ${schema.id})`),
        ),
        schema.id,
      );
    },
  };
}
