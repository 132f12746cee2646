/**
 * Turns one scanned JSON object into a RawEvent (the JSON event format, used
 * by structured and batched mode alike).
 */
import { decodeJsonString, type JsonMember, type ScannedValue, spanText } from "../codec/json-scan.js";
import { FailureList } from "../errors/failure-list.js";
import type { RawAttribute, RawAttributeValue, RawData, RawEvent } from "../event/raw-event.js";

/** RFC 6901 escaping of a member name inside a pointer. */
export const pointerToken = (name: string) =>
  name.includes("~") || name.includes("/") ? name.replaceAll("~", "~0").replaceAll("/", "~1") : name;

function attributeValue(bytes: Uint8Array, member: JsonMember): RawAttributeValue {
  const { value } = member;
  switch (value.kind) {
    case "string":
      return { kind: "string", value: decodeJsonString(bytes, value) };
    case "number":
      return { kind: "number", text: spanText(bytes, value) };
    case "true":
    case "false":
      return { kind: "boolean", value: value.kind === "true" };
    default:
      return { kind: "unsupported", description: `a JSON ${value.kind}` };
  }
}

export function rawEventFromJson(
  bytes: Uint8Array,
  scanned: ScannedValue,
  index: number,
  pointerPrefix: string,
): RawEvent {
  const members = scanned.members;
  if (members === undefined) {
    const failure = {
      index,
      pointer: pointerPrefix,
      code: "not-an-object",
      detail: "An event must be a JSON object",
    };
    return { index, pointerPrefix, attributes: [], data: undefined, encoded: undefined, failures: [failure] };
  }

  // An object with 100,000 duplicate members keeps 100 failures and counts the rest.
  const failures = new FailureList();

  // Names seen so far: an array while there are few (an event has about ten members, and
  // searching ten strings beats hashing them), a Set once a hostile object has many.
  const seenNames: string[] = [];
  let seenSet: Set<string> | undefined;
  const seenBefore = (name: string): boolean => {
    if (seenSet !== undefined) {
      if (seenSet.has(name)) return true;
      seenSet.add(name);
      return false;
    }
    if (seenNames.includes(name)) return true;
    seenNames.push(name);
    if (seenNames.length > 32) seenSet = new Set(seenNames);
    return false;
  };
  const attributes: RawAttribute[] = [];
  let data: RawData | undefined;
  let dataBase64: RawData | undefined;
  for (const member of members) {
    const pointer = `${pointerPrefix}/${pointerToken(member.name)}`;
    if (seenBefore(member.name)) {
      failures.add({
        index,
        pointer,
        code: "duplicate-member",
        detail: `"${member.name}" appears more than once`,
      });
      continue;
    }
    // A JSON null attribute means "unset"; `data: null` is data and is kept.
    if (member.value.kind === "null" && member.name !== "data") continue;
    if (member.name === "data") {
      const isJsonString = member.value.kind === "string";
      data = {
        from: "json-member",
        bytes: bytes.subarray(member.value.start, member.value.end),
        isJsonString,
      };
    } else if (member.name === "data_base64") {
      if (member.value.kind !== "string") {
        failures.add({
          index,
          pointer,
          code: "invalid-base64",
          detail: "data_base64 must be a JSON string",
        });
      } else {
        dataBase64 = { from: "base64", text: decodeJsonString(bytes, member.value) };
      }
    } else {
      attributes.push({ name: member.name, value: attributeValue(bytes, member), pointer });
    }
  }
  if (data !== undefined && dataBase64 !== undefined) {
    failures.add({
      index,
      pointer: `${pointerPrefix}/data_base64`,
      code: "data-conflict",
      detail: "data and data_base64 are mutually exclusive",
    });
  }
  const encoded = bytes.subarray(scanned.span.start, scanned.span.end);
  return {
    index,
    pointerPrefix,
    attributes,
    data: data ?? dataBase64,
    encoded,
    failures: failures.kept,
    failuresOmitted: failures.omitted,
  };
}
