/**
 * The event as the pipeline carries it: validated attributes exactly as
 * received (nothing invented), the data as its original bytes, and a JSON view
 * parsed only when something asks for it. Events are immutable.
 */
import { decodeUtf8 } from "../codec/utf8.js";

/** CloudEvents type system values: String, Integer (int32) and Boolean. */
export type AttributeValue = string | number | boolean;

/** The core context attributes of a CloudEvents 1.0 event. */
export interface CoreAttributes {
  readonly specversion: "1.0";
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly datacontenttype?: string;
  readonly dataschema?: string;
  readonly subject?: string;
  readonly time?: string;
}

export type CoreAttributeName = keyof CoreAttributes;

export const CORE_ATTRIBUTE_NAMES: readonly CoreAttributeName[] = [
  "specversion",
  "id",
  "source",
  "type",
  "datacontenttype",
  "dataschema",
  "subject",
  "time",
];

const CORE_NAMES: ReadonlySet<string> = new Set(CORE_ATTRIBUTE_NAMES);

export const isCoreAttributeName = (name: string): name is CoreAttributeName => CORE_NAMES.has(name);

/**
 * How the data is written in the JSON event format: `json` as a JSON value
 * (the bytes are JSON text), `text` as a JSON string (the bytes are UTF-8),
 * `binary` as `data_base64`.
 */
export type DataEncoding = "json" | "text" | "binary";

export class EventData {
  #json: { readonly value: unknown } | undefined;

  constructor(
    /** The data exactly as received: never re-serialized when forwarded. */
    readonly bytes: Uint8Array,
    readonly encoding: DataEncoding,
  ) {
    Object.freeze(this);
  }

  /** The data as text; undefined when the bytes are not UTF-8. */
  text(): string | undefined {
    return decodeUtf8(this.bytes);
  }

  /**
   * The data parsed as JSON, computed once on first use (schema validation
   * needs it; routing never does). Throws a SyntaxError when it is not JSON.
   */
  json(): unknown {
    if (this.#json === undefined) {
      const text = this.text();
      if (text === undefined) throw new SyntaxError("The data is not UTF-8 text");
      this.#json = { value: JSON.parse(text) };
    }
    return this.#json.value;
  }
}

export interface CloudEvent {
  readonly attributes: CoreAttributes;
  /** Extension attributes, in the order received. */
  readonly extensions: ReadonlyMap<string, AttributeValue>;
  /** Absent when the event has no data (which differs from JSON `null` data). */
  readonly data: EventData | undefined;
  /**
   * This very event in the JSON format, as the bytes that came in, when it
   * arrived in structured or batched mode: sent as is when forwarded unchanged.
   */
  readonly encoded: Uint8Array | undefined;
}

export function createCloudEvent(parts: {
  attributes: CoreAttributes;
  extensions?: ReadonlyMap<string, AttributeValue>;
  data?: EventData | undefined;
  encoded?: Uint8Array | undefined;
}): CloudEvent {
  return Object.freeze({
    attributes: Object.freeze({ ...parts.attributes }),
    extensions: parts.extensions ?? new Map(),
    data: parts.data,
    encoded: parts.encoded,
  });
}

/** Any attribute by name (core or extension), for filters and templates. */
export function getAttribute(event: CloudEvent, name: string): AttributeValue | undefined {
  if (isCoreAttributeName(name)) return event.attributes[name];
  return event.extensions.get(name);
}

/** Every attribute, core first in spec order, then extensions as received. */
export function* allAttributes(event: CloudEvent): Iterable<[string, AttributeValue]> {
  for (const name of CORE_ATTRIBUTE_NAMES) {
    const value = event.attributes[name];
    if (value !== undefined) yield [name, value];
  }
  yield* event.extensions;
}
