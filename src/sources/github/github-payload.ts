/**
 * A GitHub delivery's JSON payload: the body itself (`application/json`), or
 * the `payload` field of a form body (`application/x-www-form-urlencoded`,
 * GitHub's default content type). Its bytes become the event's data; the
 * parsed object is what the event rules and the mapping expressions read.
 */
import type { JsonLimits } from "../../codec/json-limits.js";
import { isJsonMediaType, parseMediaType } from "../../codec/media-type.js";
import { decodeUtf8, encodeUtf8 } from "../../codec/utf8.js";
import { malformedBody, unsupportedMediaType } from "../../errors/errors.js";
import { parseJsonBody } from "../parse-json-body.js";

export interface GithubPayload {
  readonly value: object;
  /** For a JSON body, its bytes as received; for a form body, the decoded field's UTF-8. */
  readonly bytes: Uint8Array;
}

const FORM = "application/x-www-form-urlencoded";

function formPayload(body: Uint8Array): Uint8Array {
  const text = decodeUtf8(body);
  if (text === undefined) {
    const detail = "The form body is not UTF-8";
    throw malformedBody(detail, [{ pointer: "", code: "invalid-form", detail }]);
  }
  const payloads = new URLSearchParams(text).getAll("payload");
  const [payload] = payloads;
  if (payload === undefined || payloads.length > 1) {
    const detail = `A form-encoded GitHub delivery has one payload field; this one has ${payloads.length}`;
    throw malformedBody(detail, [{ pointer: "", code: "invalid-form", detail }]);
  }
  return encodeUtf8(payload);
}

/** The JSON bytes: 415 for a content type that is neither JSON nor a form. */
function jsonBytes(contentType: string | null, body: Uint8Array): Uint8Array {
  // GitHub always sends a content type; without one, the body is taken to be JSON.
  if (contentType === null || contentType.trim() === "") return body;
  const mediaType = parseMediaType(contentType);
  if (mediaType === undefined) throw unsupportedMediaType(`Unparseable Content-Type "${contentType}"`);
  if (mediaType.essence === FORM) return formPayload(body);
  if (isJsonMediaType(mediaType)) return body;
  throw unsupportedMediaType(`A GitHub delivery is application/json or ${FORM}, not ${mediaType.essence}`);
}

export function readGithubPayload(
  contentType: string | null,
  body: Uint8Array,
  limits: JsonLimits,
): GithubPayload {
  // No batch limit: a list is refused below whatever its length, and the body limit bounds the scan.
  const parsed = parseJsonBody(jsonBytes(contentType, body), Number.POSITIVE_INFINITY, limits);
  const [item] = parsed.items;
  if (parsed.list || item === undefined || item.kind !== "object") {
    const detail = "A GitHub payload is a JSON object";
    throw malformedBody(detail, [{ pointer: "", code: "not-an-object", detail }]);
  }
  return { value: item.value as object, bytes: item.bytes };
}
