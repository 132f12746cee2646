/**
 * HTTP messages -> events per the CloudEvents HTTP binding: picks the content
 * mode from Content-Type (case-insensitively) and turns the message into raw
 * events, or throws a problem for the message as a whole (400, 413, 415).
 * The ingress stage (src/decode) and the other bindings' structured mode
 * read through it; decodeHttpEvents also applies the core checks.
 */

import { JsonLimitError, type JsonLimits, UNLIMITED_JSON } from "../../codec/json-limits.js";
import {
  JsonSyntaxError,
  type ScannedValue,
  scanJsonArrayDocument,
  scanJsonDocument,
  scanJsonObjectDocument,
  TooManyElementsError,
} from "../../codec/json-scan.js";
import { isJsonMediaType, parseMediaType } from "../../codec/media-type.js";
import { malformedBody, tooManyEvents, unsupportedMediaType } from "../../errors/errors.js";
import { jsonLimitProblem } from "../../errors/json-limit-problem.js";
import type { CloudEvent } from "../../event/cloud-event.js";
import type { RawEvent, RawEvents } from "../../event/raw-event.js";
import { normalizeEvents } from "../../normalize/normalize-event.js";
import { rawEventFromJson } from "../json-event.js";
import { decodeBinaryMode } from "./binary-mode.js";
import type { HeaderReader } from "./header-reader.js";

export type HttpContentMode = "binary" | "structured" | "batch";

export interface DecodeOptions {
  /** A batch with more events gets 413 (server.maxBatchEvents), checked while scanning. */
  readonly maxBatchEvents?: number;
  /**
   * Nesting and string limits (server.maxJsonDepth, server.maxJsonStringBytes),
   * checked while scanning. Absent: only the hard depth cap, because this
   * decoder also reads events back from brokers (NATS, Pub/Sub), whose size
   * their targets bound; ingress always passes the configured limits.
   */
  readonly json?: JsonLimits;
}

export interface DecodedRequest {
  readonly mode: HttpContentMode;
  readonly events: RawEvents;
}

export function contentModeOf(contentType: string | null): HttpContentMode {
  const lower = contentType?.trimStart().toLowerCase() ?? "";
  if (lower.startsWith("application/cloudevents-batch")) return "batch";
  if (lower.startsWith("application/cloudevents")) return "structured";
  return "binary";
}

/** Structured and batched bodies must be the JSON format, in UTF-8. */
function requireJsonFormat(contentType: string, essence: string): void {
  const mediaType = parseMediaType(contentType);
  if (mediaType === undefined) throw unsupportedMediaType(`Unparseable Content-Type "${contentType}"`);
  if (mediaType.essence !== essence) {
    throw unsupportedMediaType(`Event format "${mediaType.essence}" is not supported; use ${essence}`);
  }
  const charset = mediaType.parameters.get("charset");
  if (charset !== undefined && !["utf-8", "utf8"].includes(charset.toLowerCase())) {
    throw unsupportedMediaType(`charset "${charset}" is not supported; the JSON format is UTF-8`);
  }
}

/**
 * Runs a JSON scan of `bytes`, turning its failures into the gateway's
 * answers: 400 malformed-body (with json-too-deep or json-string-too-long
 * past a limit), 413 too-many-events.
 */
export function scanJsonBody<T>(bytes: Uint8Array, scanner: () => T): T {
  try {
    return scanner();
  } catch (error) {
    if (error instanceof JsonLimitError) throw jsonLimitProblem(error, bytes);
    if (error instanceof JsonSyntaxError) {
      throw malformedBody(`The body is not valid JSON: ${error.message}`, [
        { code: "invalid-json", detail: error.message, pointer: "" },
      ]);
    }
    if (error instanceof TooManyElementsError) throw tooManyEvents(error.limit);
    throw error;
  }
}

/**
 * Binary-mode data declared JSON is held to the same limits as a structured
 * body, before anything parses it. Only the limits are checked here: whether
 * it is valid JSON is reported with the event's other failures (at /data).
 * Undeclared data is left alone: it is JSON only if it scans as JSON, and
 * otherwise binary, so a limit cannot refuse it.
 */
function checkBinaryJsonData(contentType: string | null, body: Uint8Array, json: JsonLimits): void {
  if (contentType === null || body.length === 0) return;
  const mediaType = parseMediaType(contentType);
  if (mediaType === undefined || !isJsonMediaType(mediaType)) return;
  try {
    scanJsonDocument(body, json);
  } catch (error) {
    if (error instanceof JsonLimitError) throw jsonLimitProblem(error, body, "/data");
  }
}

export function decodeHttpRequest(
  headers: HeaderReader,
  body: Uint8Array,
  options: DecodeOptions = {},
): DecodedRequest {
  const contentType = headers.get("content-type");
  const mode = contentModeOf(contentType);
  const json = options.json ?? UNLIMITED_JSON;
  if (mode === "binary") {
    checkBinaryJsonData(contentType, body, json);
    return { mode, events: [decodeBinaryMode(headers, body)] };
  }

  if (mode === "structured") {
    requireJsonFormat(contentType ?? "", "application/cloudevents+json");
    const scanned = scanJsonBody(body, () => scanJsonObjectDocument(body, json));
    if (scanned.members === undefined) throw malformedBody("A structured-mode body must be a JSON object");
    return { mode, events: [rawEventFromJson(body, scanned, 0, "")] };
  }

  requireJsonFormat(contentType ?? "", "application/cloudevents-batch+json");
  const { elements } = scanJsonBody(body, () => scanJsonArrayDocument(body, options.maxBatchEvents, json));
  if (elements === undefined) throw malformedBody("A batched-mode body must be a JSON array");
  return {
    mode,
    events: {
      length: elements.length,
      // A plain iterator rather than a generator over entries(): a batch of 100 spent 5% of its
      // decoding CPU in the generator's machinery.
      [Symbol.iterator](): Iterator<RawEvent> {
        let index = 0;
        return {
          next(): IteratorResult<RawEvent> {
            if (index >= elements.length) return { done: true, value: undefined };
            const at = index++;
            return { done: false, value: rawEventFromJson(body, elements[at] as ScannedValue, at, `/${at}`) };
          },
        };
      },
    },
  };
}

/** The events of an HTTP message, checked against the core spec (throws the gateway's problem when they fail). */
export function decodeHttpEvents(
  headers: HeaderReader,
  body: Uint8Array,
  options: DecodeOptions = {},
): CloudEvent[] {
  return normalizeEvents(decodeHttpRequest(headers, body, options).events);
}
