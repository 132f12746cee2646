/**
 * The requests `ce-gateway send` makes: test events in each HTTP content mode
 * of the CloudEvents HTTP binding, each with a fresh id unless one is given.
 */

export type SendMode = "binary" | "structured" | "batch";

export interface EventTemplate {
  readonly type: string;
  readonly source: string;
  /** Used for every event; otherwise each gets a new UUID. */
  readonly id?: string;
  /** The data as given (text); JSON when it parses as JSON. */
  readonly data?: string;
}

interface Payload {
  readonly contentType: string;
  readonly json?: unknown;
  readonly text: string;
}

function payloadOf(data: string): Payload {
  try {
    return { contentType: "application/json", json: JSON.parse(data), text: data };
  } catch {
    return { contentType: "text/plain; charset=utf-8", text: data };
  }
}

/**
 * The binding's header value encoding: printable ASCII except `%` and `"`
 * as is, everything else percent-encoded as UTF-8.
 */
export function headerValue(value: string): string {
  let out = "";
  for (const byte of new TextEncoder().encode(value)) {
    const printable = byte >= 0x20 && byte <= 0x7e && byte !== 0x25 && byte !== 0x22;
    out += printable ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

function attributes(template: EventTemplate): Record<string, string> {
  return {
    specversion: "1.0",
    id: template.id ?? crypto.randomUUID(),
    source: template.source,
    type: template.type,
    time: new Date().toISOString(),
  };
}

/** One event in the JSON format (structured and batch modes). */
function jsonEvent(template: EventTemplate): Record<string, unknown> {
  const event: Record<string, unknown> = attributes(template);
  if (template.data === undefined) return event;
  const payload = payloadOf(template.data);
  event.datacontenttype = payload.contentType.split(";")[0];
  event.data = payload.contentType === "application/json" ? payload.json : payload.text;
  return event;
}

export interface EventRequest {
  readonly headers: Record<string, string>;
  readonly body: string;
  /** How many events the request carries. */
  readonly events: number;
}

/** A request carrying `events` events (more than one only in batch mode). */
export function eventRequest(mode: SendMode, template: EventTemplate, events = 1): EventRequest {
  if (mode === "structured")
    return {
      headers: { "content-type": "application/cloudevents+json; charset=utf-8" },
      body: JSON.stringify(jsonEvent(template)),
      events: 1,
    };
  if (mode === "batch")
    return {
      headers: { "content-type": "application/cloudevents-batch+json; charset=utf-8" },
      body: JSON.stringify(Array.from({ length: events }, () => jsonEvent(template))),
      events,
    };
  const headers = Object.fromEntries(
    Object.entries(attributes(template)).map(([name, value]) => [`ce-${name}`, headerValue(value)]),
  );
  if (template.data === undefined) return { headers, body: "", events: 1 };
  const payload = payloadOf(template.data);
  return { headers: { ...headers, "content-type": payload.contentType }, body: payload.text, events: 1 };
}
