/**
 * What decoding produces: an event's attributes and data as the wire carried
 * them, each remembering where it came from (a JSON Pointer, a header), before
 * the core spec's rules are checked by the normalize stage.
 */
import type { FieldFailure } from "../errors/errors.js";

export type RawAttributeValue =
  | { readonly kind: "string"; readonly value: string }
  /** A JSON number, as its text: Integer-ness is judged on the text, never on a double. */
  | { readonly kind: "number"; readonly text: string }
  | { readonly kind: "boolean"; readonly value: boolean }
  | { readonly kind: "unsupported"; readonly description: string };

export interface RawAttribute {
  readonly name: string;
  readonly value: RawAttributeValue;
  /** JSON Pointer of the attribute in the event's JSON form. */
  readonly pointer: string;
  /** The header it came from, in binary mode. */
  readonly header?: string;
}

export type RawData =
  /** Binary mode: the HTTP body. */
  | { readonly from: "body"; readonly bytes: Uint8Array }
  /** The JSON format's `data` member: its raw JSON text, and whether it is a JSON string. */
  | { readonly from: "json-member"; readonly bytes: Uint8Array; readonly isJsonString: boolean }
  /** The JSON format's `data_base64` member, still encoded. */
  | { readonly from: "base64"; readonly text: string };

export interface RawEvent {
  /** Position in the request (0 for a single event). */
  readonly index: number;
  /** Prefix for JSON Pointers: "" for a single event, "/3" for a batch's fourth. */
  readonly pointerPrefix: string;
  readonly attributes: readonly RawAttribute[];
  readonly data: RawData | undefined;
  /** The event's JSON-format bytes, when it arrived in that format. */
  readonly encoded: Uint8Array | undefined;
  /** Failures found while decoding (bad encodings, duplicates): reported with the rest. */
  readonly failures: readonly FieldFailure[];
  /** Further decoding failures that were counted but not kept (see FailureList). */
  readonly failuresOmitted?: number;
}

/**
 * The raw events of one request, made one by one as they are read: a batch of
 * 500,000 non-events that is refused after its first 100 failures never has
 * the other 499,900 made. An array is one too.
 */
export interface RawEvents extends Iterable<RawEvent> {
  readonly length: number;
}
