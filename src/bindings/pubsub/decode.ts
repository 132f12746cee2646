/**
 * Pub/Sub messages -> CloudEvents per Google's binding: a `content-type` of
 * the JSON format is structured mode, anything else binary mode with `ce-*`
 * attributes. The event goes through the same core checks as an HTTP
 * request's.
 */
import type { CloudEvent } from "../../event/cloud-event.js";
import type { RawAttribute, RawEvent } from "../../event/raw-event.js";
import { normalizeEvents } from "../../normalize/normalize-event.js";
import { decodeHttpRequest } from "../http/decode.js";

/** Reads a Pub/Sub message as a CloudEvent (accepting content-type, Content-Type or ce-datacontenttype). */
export function decodePubsubMessage(
  attributes: Readonly<Record<string, string>>,
  data: Uint8Array,
): CloudEvent {
  const contentType =
    attributes["content-type"] ?? attributes["Content-Type"] ?? attributes["ce-datacontenttype"];
  if (contentType?.toLowerCase().startsWith("application/cloudevents")) {
    return normalizeEvents(
      decodeHttpRequest(new Headers({ "content-type": contentType }), data).events,
    )[0] as CloudEvent;
  }
  const raw: RawAttribute[] = Object.entries(attributes)
    .filter(([key]) => key.startsWith("ce-") && key !== "ce-datacontenttype")
    .map(([key, value]) => ({
      name: key.slice(3),
      value: { kind: "string", value },
      pointer: `/${key.slice(3)}`,
    }));
  if (contentType !== undefined)
    raw.push({
      name: "datacontenttype",
      value: { kind: "string", value: contentType },
      pointer: "/datacontenttype",
    });
  const event: RawEvent = {
    index: 0,
    pointerPrefix: "",
    attributes: raw,
    data: data.length === 0 ? undefined : { from: "body", bytes: data },
    encoded: undefined,
    failures: [],
  };
  return normalizeEvents([event])[0] as CloudEvent;
}
