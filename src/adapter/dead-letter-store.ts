/**
 * A target that can serve as a replayable dead letter reads back what it
 * stored: the memory target, and a NATS target publishing to a JetStream
 * stream. Other targets (HTTP, Pub/Sub, Event Grid, core NATS, stdout) can
 * receive dead letters, but `deadletter replay` refuses them: what they
 * stored cannot be read back through them.
 */
import type { CloudEvent } from "../event/cloud-event.js";

/** One stored dead letter: the event with its `deadletter*` extensions, and its place in the store. */
export interface StoredDeadLetter {
  readonly event: CloudEvent;
  /** Where the store keeps it (a stream sequence, a memory slot): what `remove` takes. */
  readonly position: string;
}

export interface DeadLetterStore {
  /** Up to `limit` stored dead letters, oldest first. */
  list(limit: number): Promise<readonly StoredDeadLetter[]>;
  /** Removes one once it has been replayed; removing one already gone is not an error. */
  remove(position: string): Promise<void>;
}

/**
 * Implemented by adapters whose target can serve as a replayable dead letter.
 * `undefined` when this target's options cannot (a NATS target without `jetstream`).
 */
export interface ReadsBackDeadLetters {
  deadLetters(): DeadLetterStore | undefined;
}

export const readsBackDeadLetters = (adapter: object): adapter is ReadsBackDeadLetters =>
  typeof (adapter as Partial<ReadsBackDeadLetters>).deadLetters === "function";
