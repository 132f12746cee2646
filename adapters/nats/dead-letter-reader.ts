/**
 * Reads back the dead letters a JetStream `nats` target stored: the stream
 * that holds the target's subject, message by message from its first
 * sequence (`next_by_subj` lookups, which skip deleted and foreign messages
 * and need nothing past nats-server 2.9), each decoded by the NATS binding.
 * A message that is not a CloudEvent is passed over and reported, never
 * thrown: one bad message cannot block a replay.
 */
import type { NatsConnection } from "@nats-io/nats-core";
import type { DeadLetterStore, StoredDeadLetter } from "../../src/adapter/dead-letter-store.js";
import { decodeNatsMessage } from "../../src/bindings/nats/decode.js";
import { describeError } from "../../src/errors/errors.js";
import { deadLetterSubjects } from "./dead-letter-subjects.js";
import { JetStreamApi } from "./jetstream-api.js";
import type { NatsOptions } from "./options.js";

/** A stored message that is not a CloudEvent: left in the stream, for an operator to look at. */
export interface SkippedDeadLetter {
  readonly position: string;
  readonly subject: string;
  readonly reason: string;
}

export interface NatsDeadLetterStore extends DeadLetterStore {
  /** What the last `list` passed over because it did not decode; empty before the first. */
  readonly skipped: readonly SkippedDeadLetter[];
}

/** Resolves to the connection once connected, or rejects saying why not. */
export type ConnectionFor = () => Promise<NatsConnection>;

export function natsDeadLetterStore(
  options: NatsOptions,
  connectionFor: ConnectionFor,
  timeoutMs: number,
): NatsDeadLetterStore {
  const subjects = deadLetterSubjects(options.subject);
  let streamName = options.jetstream?.stream;
  let skipped: readonly SkippedDeadLetter[] = [];

  /** The API over the current connection, and the stream configured or the one whose subjects hold the target's. */
  async function open(): Promise<{ api: JetStreamApi; stream: string }> {
    const api = new JetStreamApi(await connectionFor(), timeoutMs);
    streamName ??= await api.streamFor(subjects.filter);
    return { api, stream: streamName };
  }

  return {
    get skipped() {
      return skipped;
    },
    async list(limit) {
      const found: StoredDeadLetter[] = [];
      const passedOver: SkippedDeadLetter[] = [];
      if (limit > 0) {
        const { api, stream } = await open();
        const state = await api.streamState(stream);
        // Up to the last message when listing began: what is dead-lettered meanwhile waits for the next list.
        let seq = state.first_seq;
        while (state.messages > 0 && found.length < limit && seq <= state.last_seq) {
          const msg = await api.nextMessage(stream, seq, subjects.filter);
          if (msg === undefined || msg.seq > state.last_seq) break;
          seq = msg.seq + 1;
          if (!subjects.matches(msg.subject)) continue;
          const position = String(msg.seq);
          try {
            found.push({ event: decodeNatsMessage(msg.headers, msg.data), position });
          } catch (error) {
            passedOver.push({ position, subject: msg.subject, reason: describeError(error) });
          }
        }
      }
      skipped = passedOver;
      return found;
    },
    async remove(position) {
      const seq = Number(position);
      if (!Number.isSafeInteger(seq) || seq < 1) throw new Error(`${position} is not a stream sequence`);
      const { api, stream } = await open();
      try {
        await api.deleteMessage(stream, seq);
      } catch (error) {
        // Already gone (removed by an earlier replay, or aged out): done. Anything else is a failure.
        if ((await api.message(stream, seq)) !== undefined) throw error;
      }
    },
  };
}
