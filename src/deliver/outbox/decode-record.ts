/**
 * A record's event bytes back to the CloudEvent they were written from. The
 * route stage stores each event in the JSON event format, so the structured
 * mode decoder of the HTTP binding reads it, with the same core checks as
 * ingress. The event comes back with those bytes as its `encoded` form, so a
 * target that writes the JSON format sends them as they are.
 */
import { decodeHttpEvents } from "../../bindings/http/decode.js";
import { describeError, GatewayError } from "../../errors/errors.js";
import type { CloudEvent } from "../../event/cloud-event.js";

export type DecodedRecord =
  | { readonly ok: true; readonly event: CloudEvent }
  | { readonly ok: false; readonly reason: string };

const STRUCTURED = new Headers({ "content-type": "application/cloudevents+json" });

export function decodeRecordEvent(bytes: Uint8Array): DecodedRecord {
  try {
    const [event] = decodeHttpEvents(STRUCTURED, bytes);
    if (event === undefined) return { ok: false, reason: "The record holds no event" };
    return { ok: true, event };
  } catch (error) {
    // The first failure says what is wrong; the error's message alone only says that something is.
    const first = error instanceof GatewayError ? error.failures[0] : undefined;
    const detail =
      first === undefined ? "" : ` (${[first.pointer, first.detail].filter(Boolean).join(": ")})`;
    return { ok: false, reason: `The record's event does not decode: ${describeError(error)}${detail}` };
  }
}
