/**
 * One event made ready for one target: its address expanded, encoded once
 * with the target's encoding and sized against what the target carries. The
 * route stage plans every delivery with it; the delivery layer plans a dead
 * letter with it.
 */
import type { OutboundMessage } from "../adapter/adapter.js";
import type { TargetRegistry } from "../adapter/target-registry.js";
import type { CloudEvent } from "../event/cloud-event.js";
import { eventWireSize } from "../event/json-format.js";
import { addressFor, type RoutingTable } from "./routing-table.js";

export type PlannedMessage =
  | { readonly ok: true; readonly message: OutboundMessage }
  | { readonly ok: false; readonly code: "invalid-address" | "event-too-large"; readonly detail: string };

export function planMessage(
  event: CloudEvent,
  target: string,
  table: RoutingTable,
  targets: TargetRegistry,
  messageId?: string,
): PlannedMessage {
  const addressed = addressFor(event, target, table);
  if (!addressed.ok) return { ok: false, code: "invalid-address", detail: addressed.reason };
  const { ok: _ok, ...where } = addressed;
  const message: OutboundMessage =
    messageId === undefined ? { event, ...where } : { event, ...where, messageId };
  const live = targets.created(target);
  const encoding = table.encodings.get(target) ?? live?.encoding;
  const encoded = encoding?.encode(message);
  if (encoded?.ok === false && encoded.tooLarge)
    return { ok: false, code: "event-too-large", detail: encoded.reason };
  const limit = live?.capabilities.maxEventBytes ?? encoding?.maxEventBytes ?? Number.POSITIVE_INFINITY;
  // Not encodable for a reason other than size: the adapter refuses it when published, saying why.
  const size = encoded === undefined ? eventWireSize(event) : encoded.ok ? encoded.size : 0;
  if (size > limit) {
    const detail = `The event is ${size} bytes; target "${target}" carries at most ${limit}`;
    return { ok: false, code: "event-too-large", detail };
  }
  return { ok: true, message: encoded === undefined ? message : { ...message, encoded } };
}
