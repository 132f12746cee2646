/**
 * Event Grid schema events -> raw CloudEvents, by this mapping (README,
 * "eventgrid-publish"):
 *
 *   id          -> id
 *   eventType   -> type
 *   topic       -> source (absent, as publishers leave it: the source's `topic` option)
 *   subject     -> subject
 *   eventTime   -> time
 *   dataVersion -> dataversion (an extension; left out when empty)
 *   data        -> data, byte for byte, datacontenttype application/json
 *
 * `metadataVersion` (Event Grid's own) is dropped; any other member is ignored,
 * as Event Grid ignores it. `id`, `eventType`, `subject` and `eventTime` are
 * required strings, as Event Grid requires them. Each attribute keeps the
 * pointer of the member it came from, so a failure names `/0/eventTime`.
 */
import { decodeJsonString, type ScannedValue } from "../../codec/json-scan.js";
import type { FieldFailure } from "../../errors/errors.js";
import type { RawAttribute, RawData, RawEvent } from "../../event/raw-event.js";

const ATTRIBUTE_OF: Readonly<Record<string, string>> = {
  id: "id",
  eventType: "type",
  topic: "source",
  subject: "subject",
  eventTime: "time",
  dataVersion: "dataversion",
};

const REQUIRED = ["id", "eventType", "subject", "eventTime"] as const;

export function eventGridSchemaEvent(
  bytes: Uint8Array,
  scanned: ScannedValue,
  index: number,
  pointerPrefix: string,
  defaultTopic: string | undefined,
): RawEvent {
  const failures: FieldFailure[] = [];
  const base = { index, pointerPrefix, encoded: undefined };
  if (scanned.members === undefined) {
    failures.push({
      index,
      pointer: pointerPrefix,
      code: "not-an-object",
      detail: "An event must be a JSON object",
    });
    return { ...base, attributes: [], data: undefined, failures };
  }
  const attributes: RawAttribute[] = [];
  const seen = new Set<string>();
  let data: RawData | undefined;
  for (const member of scanned.members) {
    const pointer = `${pointerPrefix}/${member.name.replaceAll("~", "~0").replaceAll("/", "~1")}`;
    if (seen.has(member.name)) {
      failures.push({
        index,
        pointer,
        code: "duplicate-member",
        detail: `"${member.name}" appears more than once`,
      });
      continue;
    }
    seen.add(member.name);
    if (member.name === "data") {
      data = {
        from: "json-member",
        bytes: bytes.subarray(member.value.start, member.value.end),
        isJsonString: member.value.kind === "string",
      };
      continue;
    }
    const name = ATTRIBUTE_OF[member.name];
    if (name === undefined) continue;
    if (member.value.kind === "null" && !REQUIRED.includes(member.name as (typeof REQUIRED)[number]))
      continue;
    if (member.value.kind !== "string") {
      failures.push({ index, pointer, code: "invalid-type", detail: `${member.name} must be a string` });
      continue;
    }
    const value = decodeJsonString(bytes, member.value);
    if (name === "dataversion" && value === "") continue;
    attributes.push({ name, value: { kind: "string", value }, pointer });
  }
  for (const required of REQUIRED) {
    if (!seen.has(required))
      failures.push({
        index,
        pointer: `${pointerPrefix}/${required}`,
        code: "missing-attribute",
        detail: `An Event Grid event needs ${required}`,
      });
  }
  if (!seen.has("topic") || !attributes.some((a) => a.name === "source")) {
    if (defaultTopic !== undefined)
      attributes.push({
        name: "source",
        value: { kind: "string", value: defaultTopic },
        pointer: `${pointerPrefix}/topic`,
      });
    else
      failures.push({
        index,
        pointer: `${pointerPrefix}/topic`,
        code: "missing-attribute",
        detail: "The event has no topic and the source has no topic option to stand for it",
      });
  }
  attributes.push({
    name: "specversion",
    value: { kind: "string", value: "1.0" },
    pointer: `${pointerPrefix}/specversion`,
  });
  if (data !== undefined)
    attributes.push({
      name: "datacontenttype",
      value: { kind: "string", value: "application/json" },
      pointer: `${pointerPrefix}/data`,
    });
  return { ...base, attributes, data, failures };
}
