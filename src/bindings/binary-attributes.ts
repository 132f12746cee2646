/**
 * The attributes a binary-mode binding writes (HTTP, NATS, Pub/Sub). JSON
 * data without a datacontenttype is `application/json` by the JSON format's
 * rule; in binary mode nothing else says so, so the implied value goes on
 * the wire (without it a receiver, the official SDKs included, reads the
 * JSON as an opaque string). The event itself is not changed.
 */
import { type AttributeValue, type CloudEvent, CORE_ATTRIBUTE_NAMES } from "../event/cloud-event.js";

/** The content type the JSON format implies for `data` given as a JSON value. */
export const IMPLIED_DATA_CONTENT_TYPE = "application/json";

/** The datacontenttype a binary mode writes: the event's own, else the implied one for JSON data. */
export function binaryContentType(event: CloudEvent): string | undefined {
  if (event.attributes.datacontenttype !== undefined) return event.attributes.datacontenttype;
  // Text data always has a content type; binary data (data_base64) implies none.
  return event.data?.encoding === "json" ? IMPLIED_DATA_CONTENT_TYPE : undefined;
}

/** Every attribute in allAttributes' order, datacontenttype as binaryContentType gives it. */
export function* binaryAttributes(event: CloudEvent): Iterable<[string, AttributeValue]> {
  const attributes = { ...event.attributes, datacontenttype: binaryContentType(event) };
  for (const name of CORE_ATTRIBUTE_NAMES) {
    const value = attributes[name];
    if (value !== undefined) yield [name, value];
  }
  yield* event.extensions;
}
