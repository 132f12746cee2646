/**
 * Builds one raw event from what a source knows: the attributes the source
 * sets itself (a delivery id from a header), the `event:` mapping's values
 * (which take their place when both give one), `specversion` 1.0, and data
 * as bytes. The normalize stage then checks it like any CloudEvent.
 */
import { type FieldFailure, GatewayError } from "../errors/errors.js";
import type { RawAttribute, RawEvent } from "../event/raw-event.js";
import { type ExpressionBudget, ExpressionBudgetExceeded } from "../expression/expression-budget.js";
import { deterministicId } from "./deterministic-id.js";
import { type EventMapping, mapAttributes, type SourceInput, unmappedAttribute } from "./event-mapping.js";

export interface EventPosition {
  /** Position in the request (0 for a single event). */
  readonly index: number;
  /** "" for a single event, "/3" for a list's fourth. */
  readonly pointerPrefix: string;
}

export interface MapEventParts {
  readonly mapping: EventMapping;
  readonly input: SourceInput;
  readonly budget: ExpressionBudget;
  readonly at: EventPosition;
  /** The data, byte for byte. */
  readonly data: Uint8Array;
  /** Its media type when the mapping sets no `datacontenttype`. */
  readonly datacontenttype?: string;
  /** Attributes the source sets itself; a mapped value takes the place of one. */
  readonly base?: Readonly<Record<string, string>>;
  /**
   * When neither `base` nor the mapping has an id: the id is a hash of the
   * source, this path and these bytes. A mapped id that yields nothing is a
   * failure, not a reason to invent one.
   */
  readonly idFallback?: {
    readonly path: string;
    readonly bytes: Uint8Array;
    readonly index: number | undefined;
  };
}

/** A raw event: the built attributes, and the failures found while mapping (reported with the rest). */
export type MappedEvent = RawEvent & { readonly failures: readonly FieldFailure[] };

const REQUIRED = ["type", "source", "id"] as const;

export async function mapEvent(parts: MapEventParts): Promise<MappedEvent> {
  const { at } = parts;
  const mapped = await mapAttributes(parts.mapping, parts.input, parts.budget, at);
  const byName = new Map<string, RawAttribute>();
  for (const [name, value] of Object.entries(parts.base ?? {}))
    byName.set(name, { name, value: { kind: "string", value }, pointer: `${at.pointerPrefix}/${name}` });
  // A mapping that failed for an attribute must not leave the base's value standing as if it had worked.
  for (const failure of mapped.failures)
    byName.delete(failure.pointer?.slice(at.pointerPrefix.length + 1) ?? "");
  for (const attribute of mapped.attributes) byName.set(attribute.name, attribute);

  const failures = [...mapped.failures];
  const failedNames = new Set(failures.map((f) => f.pointer?.slice(at.pointerPrefix.length + 1)));
  const source = byName.get("source")?.value;
  const idMapped = parts.mapping.some((m) => m.name === "id");
  if (!idMapped && !byName.has("id") && parts.idFallback !== undefined && source?.kind === "string") {
    const { path, bytes, index } = parts.idFallback;
    const id = await deterministicId(source.value, path, bytes, index);
    byName.set("id", { name: "id", value: { kind: "string", value: id }, pointer: `${at.pointerPrefix}/id` });
  }
  for (const name of REQUIRED) {
    if (!byName.has(name) && !failedNames.has(name))
      failures.push(unmappedAttribute(name, parts.mapping, at));
  }
  if (!byName.has("datacontenttype")) {
    const pointer = `${at.pointerPrefix}/datacontenttype`;
    byName.set("datacontenttype", {
      name: "datacontenttype",
      value: { kind: "string", value: parts.datacontenttype ?? "application/json" },
      pointer,
    });
  }
  const attributes: RawAttribute[] = [
    {
      name: "specversion",
      value: { kind: "string", value: "1.0" },
      pointer: `${at.pointerPrefix}/specversion`,
    },
    ...byName.values(),
  ];
  return {
    index: at.index,
    pointerPrefix: at.pointerPrefix,
    attributes,
    data: { from: "body", bytes: parts.data },
    encoded: undefined,
    failures,
  };
}

/** Runs a request's mappings; a spent expression budget refuses the request (400). */
export async function runMappings<T>(budget: ExpressionBudget, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (thrown) {
    if (!(thrown instanceof ExpressionBudgetExceeded)) throw thrown;
    throw new GatewayError(
      "unmappable-request",
      `The request's mappings took more than ${budget.limit} evaluation steps`,
      {
        failures: [{ pointer: "", code: "expression-budget", detail: thrown.message }],
      },
    );
  }
}

/** Refuses the request (400) when any event could not be mapped, listing every failure. */
export function refuseUnmappable(failures: readonly FieldFailure[]): void {
  if (failures.length === 0) return;
  throw new GatewayError("unmappable-request", "The request cannot be mapped to a valid CloudEvent", {
    failures,
  });
}
