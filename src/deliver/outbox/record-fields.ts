/**
 * An outbox record's fields without its bytes: what a store that keeps the
 * event bytes as they are (not escaped into JSON) writes beside them, as a
 * JSON header. The JetStream outbox and the Workers queue outbox both do.
 */
import type { NewOutboxRecord } from "./outbox-store.js";

export interface RecordFields {
  readonly target: string;
  readonly route?: string;
  readonly orderingKey?: string;
  readonly deadLetter?: string;
  readonly acceptedAt: number;
  /** Where the event's bytes end (what follows them is the original's). */
  readonly eventBytes: number;
}

export function recordFieldsOf(record: NewOutboxRecord): RecordFields {
  return {
    target: record.target,
    ...(record.route !== undefined && { route: record.route }),
    ...(record.orderingKey !== undefined && { orderingKey: record.orderingKey }),
    ...(record.deadLetter !== undefined && { deadLetter: record.deadLetter }),
    acceptedAt: record.acceptedAt,
    eventBytes: record.event.length,
  };
}
