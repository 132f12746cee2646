/**
 * NATS messages -> CloudEvents per the NATS protocol binding: a
 * `content-type` of the JSON format is structured mode, anything else binary
 * mode with `ce-*` headers (percent-decoded), header names in any case. The
 * event goes through the same core checks as an HTTP request's.
 */
import { decodeHeaderValue } from "../../codec/header-value.js";
import { utf8ByteString } from "../../codec/utf8.js";
import type { CloudEvent } from "../../event/cloud-event.js";
import type { RawAttribute, RawEvent } from "../../event/raw-event.js";
import { normalizeEvents } from "../../normalize/normalize-event.js";
import { decodeHttpRequest } from "../http/decode.js";

/** Reads a received NATS message as a CloudEvent (throws the gateway's invalid-event error when it is not one). */
export function decodeNatsMessage(headers: Iterable<[string, string[]]>, data: Uint8Array): CloudEvent {
  const entries = [...headers].map(([k, v]) => [k.toLowerCase(), v[0] ?? ""] as const);
  const contentType = entries.find(([k]) => k === "content-type")?.[1];
  if (contentType?.toLowerCase().startsWith("application/cloudevents")) {
    const decoded = decodeHttpRequest(new Headers({ "content-type": contentType }), data);
    const [event] = normalizeEvents(decoded.events);
    return event as CloudEvent;
  }
  const attributes: RawAttribute[] = [];
  const failures: RawEvent["failures"][number][] = [];
  for (const [header, raw] of entries) {
    if (!header.startsWith("ce-")) continue;
    const name = header.slice(3);
    // nats.js hands values over as text (the header block read as UTF-8); the decoder reads bytes.
    const decoded = decodeHeaderValue(utf8ByteString(raw));
    if (decoded.ok)
      attributes.push({ name, value: { kind: "string", value: decoded.value }, pointer: `/${name}`, header });
    else
      failures.push({
        index: 0,
        header,
        pointer: `/${name}`,
        code: decoded.code,
        detail: `${header} does not decode`,
      });
  }
  const raw: RawEvent = {
    index: 0,
    pointerPrefix: "",
    attributes,
    data: data.length === 0 ? undefined : { from: "body", bytes: data },
    encoded: undefined,
    failures,
  };
  return normalizeEvents([raw])[0] as CloudEvent;
}
