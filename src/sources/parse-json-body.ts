/**
 * A source's JSON body: checked by the gateway's scanner (which keeps each
 * element's exact bytes, forwarded as the event's data) and parsed for the
 * mapping expressions. 400 when it is not JSON or breaks a JSON limit, 413 past the batch limit.
 */
import { scanJsonBody } from "../bindings/http/decode.js";
import type { JsonLimits } from "../codec/json-limits.js";
import { type JsonSpan, scanJsonArrayDocument, withoutBom } from "../codec/json-scan.js";
import { decodeUtf8 } from "../codec/utf8.js";

export interface JsonBodyItem {
  /** The value, parsed (what expressions read). */
  readonly value: unknown;
  /** Its bytes exactly as received. */
  readonly bytes: Uint8Array;
  readonly kind: JsonSpan["kind"];
}

export interface JsonBody {
  /** Whether the body is a list (each element one event). */
  readonly list: boolean;
  readonly items: readonly JsonBodyItem[];
}

export function parseJsonBody(raw: Uint8Array, maxItems: number, limits: JsonLimits): JsonBody {
  // The scanner skips one byte order mark itself and refuses a second one, so
  // it reads the body as received; its spans count from the body's first byte.
  const scanned = scanJsonBody(raw, () => scanJsonArrayDocument(raw, maxItems, limits));
  // The scanner has proven it is UTF-8 JSON after at most one mark, within the
  // limits: JSON.parse can neither fail nor recurse deeply here.
  const value: unknown = JSON.parse(decodeUtf8(withoutBom(raw)) ?? "");
  if (scanned.elements === undefined) {
    return {
      list: false,
      items: [{ value, bytes: raw.subarray(scanned.span.start, scanned.span.end), kind: scanned.span.kind }],
    };
  }
  const values = value as unknown[];
  return {
    list: true,
    items: scanned.elements.map((element, i) => ({
      value: values[i],
      bytes: raw.subarray(element.span.start, element.span.end),
      kind: element.span.kind,
    })),
  };
}
