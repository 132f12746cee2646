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

/** Remembers which content types are JSON: the same few strings arrive on every event. */
function jsonContentTypes(): (contentType: string | undefined) => boolean {
  const known = new Map<string, boolean>();
  return (contentType) => {
    if (contentType === undefined) return true;
    let json = known.get(contentType);
    if (json === undefined) {
      json = isJsonContentType(contentType);
      if (known.size < 256) known.set(contentType, json);
    }
    return json;
  };
}

function dataOf(
  event: CloudEvent,
  isJson: (contentType: string | undefined) => boolean,
): { ok: true; value: unknown } | { ok: false; code: string; detail: string } {
  const { data } = event;
  const contentType = event.attributes.datacontenttype;
  if (data === undefined) {
    return { ok: false, code: "missing-data", detail: "The event has no data, but its type has a schema" };
  }
  if (!isJson(contentType)) {
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

function failureAt(position: EventPosition, pointer: string, code: string, detail: string): FieldFailure {
  return { index: position.index, pointer: `${position.pointerPrefix}${pointer}`, code, detail };
}

function verdictOf(mode: ValidationMode, failures: FieldFailure[], schema?: string): ContractVerdict {
  return {
    failures: mode === "enforce" ? failures : [],
    warnings: mode === "warn" ? failures : [],
    ...(schema === undefined ? {} : { schema }),
  };
}

function refuse(
  mode: ValidationMode,
  position: EventPosition,
  pointer: string,
  code: string,
  detail: string,
  schema?: string,
) {
  return verdictOf(mode, [failureAt(position, pointer, code, detail)], schema);
}

export function registryValidator(registry: SchemaRegistry, policy: ValidationPolicy): EventValidator {
  const isJson = jsonContentTypes();
  /** One shared verdict per schema for the common case: valid. */
  const passedWith = new Map<string, ContractVerdict>();
  const passed = (schema: string) => {
    let verdict = passedWith.get(schema);
    if (verdict === undefined) {
      verdict = Object.freeze({ failures: [], warnings: [], schema });
      passedWith.set(schema, verdict);
    }
    return verdict;
  };
  // Per type, the mode and latest schema, looked up once until the registry changes (the hot path).
  interface TypePlan {
    readonly revision: number;
    readonly mode: ValidationMode;
    readonly latest: ReturnType<SchemaRegistry["latestEntry"]>;
  }
  const plans = new Map<string, TypePlan>();
  const planFor = (type: string): TypePlan => {
    const cached = plans.get(type);
    if (cached !== undefined && cached.revision === registry.revision) return cached;
    const plan = {
      revision: registry.revision,
      // Own properties only: an event type such as `constructor` must not find Object.prototype's.
      mode: (Object.hasOwn(policy.types, type) ? policy.types[type]?.mode : undefined) ?? policy.mode,
      latest: registry.latestEntry(type),
    };
    if (plans.size < 10_000 || cached !== undefined) plans.set(type, plan);
    return plan;
  };
  return {
    validate(event: CloudEvent, position: EventPosition): ContractVerdict {
      const { type, dataschema } = event.attributes;
      const plan = planFor(type);
      if (plan.mode === "off") return PASSED;
      const { mode } = plan;
      const entry = dataschema === undefined ? plan.latest : registry.byId(dataschema);
      if (entry === undefined) {
        if (dataschema !== undefined) {
          return refuse(
            mode,
            position,
            "/dataschema",
            "unknown-dataschema",
            `The registry has no schema ${dataschema}`,
          );
        }
        if (!policy.requireSchema) return PASSED;
        return refuse(mode, position, "/type", "no-schema", `The registry has no schema for type ${type}`);
      }
      const id = entry.version.id;
      const data = dataOf(event, isJson);
      if (!data.ok) return refuse(mode, position, "/data", data.code, data.detail, id);
      const violations = entry.validate(data.value);
      if (violations.length === 0) return passed(id);
      const failures = violations.map((v) =>
        failureAt(
          position,
          `/data${v.pointer}`,
          "schema-violation",
          `${v.message} (${v.keyword}, schema ${id})`,
        ),
      );
      return verdictOf(mode, failures, id);
    },
  };
}
