/**
 * The normalize stage: checks a raw event against the CloudEvents 1.0 core
 * spec and turns it into the pipeline's immutable CloudEvent. Nothing is
 * invented or rewritten; every violation is reported with its pointer.
 */
import { decodeBase64 } from "../codec/base64.js";
import { decodeJsonString, scanJsonDocument, withoutBom } from "../codec/json-scan.js";
import { isJsonMediaType, type MediaType, parseMediaType } from "../codec/media-type.js";
import { encodeUtf8, isValidUtf8 } from "../codec/utf8.js";
import { type FieldFailure, invalidEvent } from "../errors/errors.js";
import { FailureList } from "../errors/failure-list.js";
import {
  type AttributeValue,
  type CloudEvent,
  type CoreAttributes,
  createCloudEvent,
  EventData,
  isCoreAttributeName,
} from "../event/cloud-event.js";
import type { RawAttribute, RawData, RawEvent, RawEvents } from "../event/raw-event.js";
import {
  hasLoneSurrogate,
  isAbsoluteUri,
  isRfc3339Timestamp,
  isUriReference,
  isValidAttributeName,
  parseInteger,
  stringViolation,
} from "./attribute-rules.js";

export type NormalizeResult =
  | { readonly ok: true; readonly event: CloudEvent }
  | { readonly ok: false; readonly failures: readonly FieldFailure[] };

/** Records a failure; returns undefined so a check can `return fail(...)`. */
type Fail = (attribute: Pick<RawAttribute, "pointer" | "header">, code: string, detail: string) => undefined;

type StringRule = (value: string) => string | undefined;

/**
 * Per core attribute: the extra rule its String value must meet, if any.
 * A Map, not an object literal: attribute names are chosen by producers, and
 * an object would answer `constructor` with Object.prototype's.
 */
const CORE_RULES: ReadonlyMap<string, StringRule> = new Map<string, StringRule>([
  ["id", (v) => (v === "" ? "must be a non-empty String" : undefined)],
  ["type", (v) => (v === "" ? "must be a non-empty String" : undefined)],
  ["subject", (v) => (v === "" ? "must be a non-empty String" : undefined)],
  [
    "source",
    (v) => (v !== "" && isUriReference(v) ? undefined : "must be a non-empty URI-reference (RFC 3986)"),
  ],
  ["dataschema", (v) => (v !== "" && isAbsoluteUri(v) ? undefined : "must be an absolute URI (RFC 3986)")],
  ["time", (v) => (isRfc3339Timestamp(v) ? undefined : "must be an RFC 3339 timestamp")],
  [
    "specversion",
    (v) => (v === "1.0" ? undefined : `"${v}" is not supported; only CloudEvents 1.0 ("1.0") is accepted`),
  ],
]);

const REQUIRED = ["specversion", "id", "source", "type"] as const;

function checkValue(attribute: RawAttribute, fail: Fail): AttributeValue | undefined {
  const { name, value } = attribute;
  const core = isCoreAttributeName(name);
  switch (value.kind) {
    case "string": {
      const violation = stringViolation(value.value);
      if (violation !== undefined)
        return fail(attribute, "invalid-string", `${name} contains a ${violation}`);
      const ruleViolation = CORE_RULES.get(name)?.(value.value);
      if (ruleViolation !== undefined) {
        const code = name === "specversion" ? "unsupported-specversion" : `invalid-${name}`;
        return fail(attribute, code, `${name} ${ruleViolation}`);
      }
      return value.value;
    }
    case "number": {
      if (core) return fail(attribute, "invalid-type", `${name} must be a String, not a number`);
      const integer = parseInteger(value.text);
      if (integer === undefined) {
        return fail(
          attribute,
          "invalid-integer",
          `${name} must be an Integer (int32, no fraction): ${value.text}`,
        );
      }
      return integer;
    }
    case "boolean":
      if (core) return fail(attribute, "invalid-type", `${name} must be a String, not a Boolean`);
      return value.value;
    case "unsupported":
      return fail(
        attribute,
        "invalid-type",
        `${name} must be a String, Integer or Boolean, not ${value.description}`,
      );
  }
}

/** The data's content type, parsed once: absent means JSON (the JSON format's default). */
interface DataType {
  readonly declared: string | undefined;
  readonly json: boolean;
  readonly text: boolean;
}

function dataTypeOf(contentType: string | undefined, mediaType: MediaType | undefined): DataType {
  if (contentType === undefined) return { declared: undefined, json: true, text: false };
  return {
    declared: contentType,
    json: mediaType !== undefined && isJsonMediaType(mediaType),
    text: mediaType !== undefined && (mediaType.type === "text" || mediaType.parameters.has("charset")),
  };
}

function eventData(raw: RawData | undefined, type: DataType, fail: Fail, prefix: string) {
  const contentType = type.declared;
  const pointer = { pointer: `${prefix}/data` };
  if (raw === undefined) return undefined;
  switch (raw.from) {
    case "base64": {
      const bytes = decodeBase64(raw.text);
      if (bytes === undefined) {
        fail({ pointer: `${prefix}/data_base64` }, "invalid-base64", "data_base64 is not valid base64");
        return undefined;
      }
      return new EventData(bytes, "binary");
    }
    case "json-member":
      // A JSON string under a non-JSON content type is text; under a JSON one it is a JSON value.
      if (raw.isJsonString && !type.json) {
        const text = decodeJsonString(raw.bytes, { start: 0, end: raw.bytes.length });
        if (hasLoneSurrogate(text)) {
          fail(pointer, "invalid-data", "Text data holds a lone surrogate, which has no UTF-8 form");
          return undefined;
        }
        return new EventData(encodeUtf8(text), "text");
      }
      return new EventData(raw.bytes, "json");
    case "body":
      if (type.json) {
        try {
          scanJsonDocument(raw.bytes);
          // A BOM is allowed before JSON text but is not part of it: keep it out of the data.
          return new EventData(withoutBom(raw.bytes), "json");
        } catch (error) {
          // The producer said JSON (no content type only implies it).
          if (contentType === undefined) return new EventData(raw.bytes, "binary");
          const detail = error instanceof Error ? error.message : "invalid JSON";
          fail(
            pointer,
            "invalid-json",
            `The body is declared ${contentType} but is not valid JSON: ${detail}`,
          );
          return undefined;
        }
      }
      if (type.text && isValidUtf8(raw.bytes)) return new EventData(raw.bytes, "text");
      return new EventData(raw.bytes, "binary");
  }
}

/**
 * Checks one event, adding its failures to `failures` (shared by the whole
 * request, so a hostile batch costs bounded memory); returns the event, or
 * undefined when it has any failure.
 */
function checkEvent(raw: RawEvent, failures: FailureList): CloudEvent | undefined {
  const before = failures.size;
  for (const failure of raw.failures) failures.add(failure);
  failures.addOmitted(raw.failuresOmitted ?? 0);
  // Something that is not an event at all has nothing more worth reporting.
  if (raw.failures.some((f) => f.code === "not-an-object")) return undefined;
  const fail: Fail = (where, code, detail) => {
    failures.add({
      index: raw.index,
      pointer: where.pointer,
      ...(where.header ? { header: where.header } : {}),
      code,
      detail,
    });
    return undefined;
  };

  const core: Record<string, string> = {};
  const extensions = new Map<string, AttributeValue>();
  for (const attribute of raw.attributes) {
    if (!isValidAttributeName(attribute.name)) {
      fail(
        attribute,
        "invalid-attribute-name",
        `"${attribute.name}" is not a valid attribute name (only a-z and 0-9)`,
      );
      continue;
    }
    const value = checkValue(attribute, fail);
    if (value === undefined) continue;
    if (isCoreAttributeName(attribute.name)) core[attribute.name] = value as string;
    else extensions.set(attribute.name, value);
  }
  // The common case (all four present) builds no pointer strings and no Set.
  const missing = REQUIRED.filter((name) => !raw.attributes.some((a) => a.name === name));
  if (missing.length > 0) {
    const alreadyFailed = new Set(raw.failures.map((f) => f.pointer));
    for (const name of missing) {
      const pointer = `${raw.pointerPrefix}/${name}`;
      if (!alreadyFailed.has(pointer)) fail({ pointer }, "missing-attribute", `${name} is required`);
    }
  }

  const contentType = core.datacontenttype;
  const mediaType = contentType === undefined ? undefined : parseMediaType(contentType);
  if (contentType !== undefined && mediaType === undefined) {
    const where = raw.attributes.find((a) => a.name === "datacontenttype");
    fail(
      where ?? { pointer: `${raw.pointerPrefix}/datacontenttype` },
      "invalid-datacontenttype",
      "datacontenttype must be a media type (RFC 2046)",
    );
  }
  const data = eventData(raw.data, dataTypeOf(contentType, mediaType), fail, raw.pointerPrefix);
  if (failures.size > before) return undefined;
  return createCloudEvent({
    attributes: core as unknown as CoreAttributes,
    extensions,
    data,
    encoded: raw.encoded,
  });
}

export function normalizeEvent(raw: RawEvent): NormalizeResult {
  const failures = new FailureList(Number.POSITIVE_INFINITY);
  const event = checkEvent(raw, failures);
  return event === undefined ? { ok: false, failures: failures.kept } : { ok: true, event };
}

/**
 * Normalizes every event of a request; a batch is atomic, so one failure
 * refuses it. Failures are listed up to MAX_LISTED_FAILURES; once that many
 * are found, the remaining events are not checked at all (the problem says so),
 * so a batch of 500,000 non-events costs no more than one of 100.
 */
export function normalizeEvents(raws: RawEvents): CloudEvent[] {
  const events: CloudEvent[] = [];
  const failures = new FailureList();
  let checked = 0;
  let invalid = 0;
  for (const raw of raws) {
    if (failures.full) break;
    checked++;
    const event = checkEvent(raw, failures);
    if (event === undefined) invalid++;
    else events.push(event);
  }
  if (failures.size === 0) return events;
  const unchecked = raws.length - checked;
  const message =
    unchecked === 0
      ? `${invalid} of ${raws.length} event(s) are not valid CloudEvents 1.0`
      : `At least ${invalid} of ${raws.length} event(s) are not valid CloudEvents 1.0; ` +
        `checking stopped after ${failures.limit} failures, ${unchecked} event(s) were not checked`;
  throw invalidEvent(message, failures.kept, {
    failuresOmitted: failures.omitted,
    failuresIncomplete: unchecked > 0,
  });
}
