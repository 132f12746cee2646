/**
 * EventBridge envelope -> CloudEvent, as an API destination delivers it
 * (`{version, id, detail-type, source, account, time, region, resources,
 * detail}`):
 *
 *   id -> id; detail-type -> type; source -> source; time -> time;
 *   detail -> data, byte for byte, as application/json;
 *   account -> awsaccount; region -> awsregion;
 *   resources -> awsresources (the ARNs joined with ",", left out when none).
 *
 * `version` is the envelope's own ("0") and is dropped. A field that is
 * missing or of the wrong kind is a 400 naming it (`/detail-type`).
 */
import { scanJsonBody } from "../../bindings/http/decode.js";
import { scanJsonObjectDocument, withoutBom } from "../../codec/json-scan.js";
import { decodeUtf8 } from "../../codec/utf8.js";
import { type FieldFailure, GatewayError } from "../../errors/errors.js";
import type { RawAttribute, RawEvent } from "../../event/raw-event.js";
import type { SourceRequest } from "../source.js";

const STRING_FIELDS: readonly { field: string; attribute: string; required: boolean }[] = [
  { field: "id", attribute: "id", required: true },
  { field: "detail-type", attribute: "type", required: true },
  { field: "source", attribute: "source", required: true },
  { field: "time", attribute: "time", required: true },
  { field: "account", attribute: "awsaccount", required: false },
  { field: "region", attribute: "awsregion", required: false },
];

const notAnEnvelope = (failures: FieldFailure[]) =>
  new GatewayError("unmappable-request", "The request is not an EventBridge event", { failures });

export function eventBridgeEvent(request: SourceRequest): RawEvent {
  const body = request.body;
  const scanned = scanJsonBody(body, () => scanJsonObjectDocument(body, request.jsonLimits));
  if (scanned.members === undefined)
    throw notAnEnvelope([
      { pointer: "", code: "not-an-object", detail: "An EventBridge event is one JSON object" },
    ]);
  // The scan has proven it is JSON within the limits: JSON.parse can neither fail nor recurse deeply.
  const value = JSON.parse(decodeUtf8(withoutBom(body)) ?? "") as Record<string, unknown>;
  const failures: FieldFailure[] = [];
  const string = (name: string, text: string, pointer: string): RawAttribute => ({
    name,
    value: { kind: "string", value: text },
    pointer,
  });
  const attributes: RawAttribute[] = [string("specversion", "1.0", "/specversion")];
  for (const { field, attribute, required } of STRING_FIELDS) {
    const pointer = `/${field}`;
    const text = value[field];
    if (typeof text === "string" && text !== "") attributes.push(string(attribute, text, pointer));
    else if (text !== undefined && text !== null && text !== "")
      failures.push({ pointer, code: "invalid-member", detail: `${field} must be a string` });
    else if (required)
      failures.push({
        pointer,
        code: "missing-member",
        detail: `${field} is required in an EventBridge event (it becomes ${attribute})`,
      });
  }
  const resources = value.resources;
  if (Array.isArray(resources) && resources.every((r) => typeof r === "string" && r !== "")) {
    if (resources.length > 0) attributes.push(string("awsresources", resources.join(","), "/resources"));
  } else if (resources !== undefined && resources !== null) {
    failures.push({
      pointer: "/resources",
      code: "invalid-member",
      detail: "resources must be a list of ARNs",
    });
  }
  if (failures.length > 0) throw notAnEnvelope(failures);
  attributes.push(string("datacontenttype", "application/json", "/datacontenttype"));
  // JSON.parse keeps a repeated member's last value; the bytes taken are the same one.
  const detail = scanned.members.findLast((member) => member.name === "detail");
  return {
    index: 0,
    pointerPrefix: "",
    attributes,
    data:
      detail === undefined || detail.value.kind === "null"
        ? undefined
        : { from: "body", bytes: body.subarray(detail.value.start, detail.value.end) },
    encoded: undefined,
    failures: [],
  };
}
