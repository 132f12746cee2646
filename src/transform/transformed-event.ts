/**
 * Makes the event a transform describes, through the normalize stage's own
 * checks (the core spec, exactly as on ingress), so a transform cannot send
 * what the gateway would refuse to receive. The original's data bytes are
 * reused untouched when the transform leaves the data and its content type
 * alone; a transformed event is never sent as the bytes that came in.
 */
import type { FieldFailure } from "../errors/errors.js";
import {
  type AttributeValue,
  allAttributes,
  type CloudEvent,
  createCloudEvent,
} from "../event/cloud-event.js";
import type { RawAttribute, RawAttributeValue, RawData, RawEvent } from "../event/raw-event.js";
import { normalizeEvent } from "../normalize/normalize-event.js";
import type { EventPosition } from "../validate/event-validator.js";
import type { TransformDraft } from "./evaluate-transform.js";

export type TransformedEvent =
  | { readonly ok: true; readonly event: CloudEvent }
  | { readonly ok: false; readonly failures: readonly FieldFailure[] };

const JSON_CONTENT_TYPE: RawAttributeValue = { kind: "string", value: "application/json" };

function rawValue(value: AttributeValue): RawAttributeValue {
  if (typeof value === "string") return { kind: "string", value };
  if (typeof value === "number") return { kind: "number", text: String(value) };
  return { kind: "boolean", value };
}

/**
 * The attributes after the transform: the original's in their order with the
 * transform's values in place, removed ones left out, new ones appended.
 */
function attributeValues(
  original: CloudEvent,
  draft: TransformDraft,
  id: string | undefined,
): Map<string, RawAttributeValue> {
  const values = new Map<string, RawAttributeValue>();
  for (const [name, value] of allAttributes(original)) values.set(name, rawValue(value));
  for (const [name, value] of draft.attributes) {
    if (value === null) values.delete(name);
    else values.set(name, value);
  }
  // A `data` expression decides the content type unless the attributes do.
  if (draft.data.kind !== "kept" && !draft.attributes.has("datacontenttype")) {
    if (draft.data.kind === "replaced") values.set("datacontenttype", JSON_CONTENT_TYPE);
    else values.delete("datacontenttype");
  }
  if (id !== undefined) values.set("id", { kind: "string", value: id });
  return values;
}

const sameValue = (a: RawAttributeValue | undefined, b: AttributeValue | undefined) =>
  a === undefined ? b === undefined : a.kind === "string" && a.value === b;

/**
 * Builds and checks the event `draft` makes of `original`; `id` replaces its
 * id (a variant renamed so a target's deduplication keeps it).
 */
export function transformedEvent(
  original: CloudEvent,
  draft: TransformDraft,
  id: string | undefined,
  route: string,
  position: EventPosition,
): TransformedEvent {
  const values = attributeValues(original, draft, id);
  const pointer = (name: string) => `${position.pointerPrefix}/${name}`;
  const attributes: RawAttribute[] = [...values].map(([name, value]) => ({
    name,
    value,
    pointer: pointer(name),
  }));
  // Data left alone under the same content type is the same data: reused as it is, never re-read.
  const dataKept =
    draft.data.kind === "kept" &&
    sameValue(values.get("datacontenttype"), original.attributes.datacontenttype);
  let data: RawData | undefined;
  if (draft.data.kind === "replaced") data = { from: "body", bytes: draft.data.bytes };
  else if (draft.data.kind === "kept" && !dataKept && original.data !== undefined)
    // Under a new content type the bytes are read again as that type, as binary mode reads a body.
    data = { from: "body", bytes: original.data.bytes };
  const raw: RawEvent = {
    index: position.index,
    pointerPrefix: position.pointerPrefix,
    attributes,
    data,
    encoded: undefined,
    failures: [],
  };
  const checked = normalizeEvent(raw);
  if (!checked.ok) {
    const failures = checked.failures.map((failure) => ({
      ...failure,
      route,
      detail: `route "${route}": ${failure.detail}`,
    }));
    return { ok: false, failures };
  }
  if (!dataKept || original.data === undefined) return checked;
  const { attributes: core, extensions } = checked.event;
  return { ok: true, event: createCloudEvent({ attributes: core, extensions, data: original.data }) };
}
