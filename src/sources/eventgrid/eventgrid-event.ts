/**
 * Event Grid schema -> CloudEvents. Each event of an Event Grid delivery
 * (`{id, topic, subject, eventType, eventTime, data, dataVersion,
 * metadataVersion}`) becomes one CloudEvent:
 *
 *   id -> id; topic -> source; subject -> subject; eventType -> type;
 *   eventTime -> time; dataVersion -> the extension `dataversion`;
 *   data -> data, byte for byte, as application/json.
 *
 * `metadataVersion` is Event Grid's own schema version ("1") and says nothing
 * about the event, so it is dropped. A field that is missing or of the wrong
 * kind is a failure naming it (`/0/eventType`).
 */
import { pointerToken } from "../../bindings/json-event.js";
import type { JsonMember, ScannedValue } from "../../codec/json-scan.js";
import type { FieldFailure } from "../../errors/errors.js";
import type { RawAttribute, RawEvent } from "../../event/raw-event.js";

export const VALIDATION_EVENT = "Microsoft.EventGrid.SubscriptionValidationEvent";

/** Event Grid field -> CloudEvents attribute, for the string fields. */
const STRING_FIELDS: readonly { field: string; attribute: string; required: boolean }[] = [
  { field: "id", attribute: "id", required: true },
  { field: "topic", attribute: "source", required: true },
  { field: "subject", attribute: "subject", required: false },
  { field: "eventType", attribute: "type", required: true },
  { field: "eventTime", attribute: "time", required: true },
  { field: "dataVersion", attribute: "dataversion", required: false },
];

export interface EventGridItem {
  /** The parsed element. */
  readonly value: unknown;
  readonly scanned: ScannedValue;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export function eventTypeOf(item: EventGridItem): unknown {
  return isObject(item.value) ? item.value.eventType : undefined;
}

/** The event made of one element, or the failures that stop it. */
export function eventGridEvent(
  bytes: Uint8Array,
  item: EventGridItem,
  index: number,
  pointerPrefix: string,
): { event: RawEvent } | { failures: FieldFailure[] } {
  const { value, scanned } = item;
  if (!isObject(value) || scanned.members === undefined)
    return {
      failures: [
        {
          index,
          pointer: pointerPrefix,
          code: "not-an-object",
          detail: "An Event Grid event is a JSON object",
        },
      ],
    };
  const failures: FieldFailure[] = [];
  const attributes: RawAttribute[] = [
    { name: "specversion", value: { kind: "string", value: "1.0" }, pointer: `${pointerPrefix}/specversion` },
  ];
  for (const { field, attribute, required } of STRING_FIELDS) {
    const pointer = `${pointerPrefix}/${field}`;
    const text = value[field];
    if (typeof text === "string" && text !== "") {
      attributes.push({ name: attribute, value: { kind: "string", value: text }, pointer });
    } else if (text !== undefined && text !== null && text !== "") {
      failures.push({ index, pointer, code: "invalid-member", detail: `${field} must be a string` });
    } else if (required) {
      failures.push({
        index,
        pointer,
        code: "missing-member",
        detail: `${field} is required in an Event Grid event (it becomes ${attribute})`,
      });
    }
  }
  attributes.push({
    name: "datacontenttype",
    value: { kind: "string", value: "application/json" },
    pointer: `${pointerPrefix}/datacontenttype`,
  });
  if (failures.length > 0) return { failures };
  const data = lastMember(scanned.members, "data");
  return {
    event: {
      index,
      pointerPrefix,
      attributes,
      data:
        data === undefined || data.value.kind === "null"
          ? undefined
          : { from: "body", bytes: bytes.subarray(data.value.start, data.value.end) },
      encoded: undefined,
      failures: [],
    },
  };
}

/** JSON.parse keeps a repeated member's last value; the bytes taken must be the same one. */
function lastMember(members: readonly JsonMember[], name: string): JsonMember | undefined {
  return members.findLast((member) => member.name === name);
}

/** `data.validationCode` of a validation event, or the failure naming it. */
export function validationCodeOf(item: EventGridItem, pointerPrefix: string): string | FieldFailure {
  const data = isObject(item.value) ? item.value.data : undefined;
  const code = isObject(data) ? data.validationCode : undefined;
  if (typeof code === "string" && code !== "") return code;
  return {
    pointer: `${pointerPrefix}/data/${pointerToken("validationCode")}`,
    code: "missing-member",
    detail: `a ${VALIDATION_EVENT} carries data.validationCode, to be echoed back`,
  };
}
