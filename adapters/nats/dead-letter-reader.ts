/**
 * Reads back the dead letters a JetStream `nats` target stored: the stream
 * that holds the target's subject, message by message from its first
 * sequence (`next_by_subj` lookups, which skip deleted and foreign messages
 * and need nothing past nats-server 2.9), each decoded by the NATS binding.
 * A message that is not a CloudEvent is passed over and reported, never
 * thrown: one bad message cannot block a replay. `@nats-io/jetstream` is
 * loaded only here, when dead letters are first read.
 */
import type { JetStreamManager, MsgRequest } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import type { DeadLetterStore, StoredDeadLetter } from "../../src/adapter/dead-letter-store.js";
import { decodeNatsMessage } from "../../src/bindings/nats/decode.js";
import { describeError } from "../../src/errors/errors.js";
import { deadLetterSubjects } from "./dead-letter-subjects.js";
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
  let manager: { nc: NatsConnection; jsm: JetStreamManager } | undefined;
  let streamName = options.jetstream?.stream;
  let skipped: readonly SkippedDeadLetter[] = [];

  /** The manager for the current connection (a reconnect keeps the same connection object). */
  async function jsmNow(): Promise<JetStreamManager> {
    const nc = await connectionFor();
    if (manager?.nc !== nc) {
      const { jetstreamManager } = await import("@nats-io/jetstream");
      // checkAPI off: a request to the account info API first would only repeat what the first real request says.
      manager = { nc, jsm: await jetstreamManager(nc, { timeout: timeoutMs, checkAPI: false }) };
    }
    return manager.jsm;
  }

  /** The stream configured, or the one whose subjects hold the target's. */
  async function streamOf(jsm: JetStreamManager): Promise<string> {
    streamName ??= await jsm.streams.find(subjects.filter);
    return streamName;
  }

  return {
    get skipped() {
      return skipped;
    },
    async list(limit) {
      const found: StoredDeadLetter[] = [];
      const passedOver: SkippedDeadLetter[] = [];
      if (limit > 0) {
        const jsm = await jsmNow();
        const stream = await streamOf(jsm);
        const { state } = await jsm.streams.info(stream);
        // Up to the last message when listing began: what is dead-lettered meanwhile waits for the next list.
        let seq = state.first_seq;
        while (state.messages > 0 && found.length < limit && seq <= state.last_seq) {
          // The library's type predates `next_by_subj` on this API; nats-server has taken it since 2.9.
          const query = { seq, next_by_subj: subjects.filter } as unknown as MsgRequest;
          const msg = await jsm.streams.getMessage(stream, query);
          if (msg === null || msg.seq > state.last_seq) break;
          seq = msg.seq + 1;
          if (!subjects.matches(msg.subject)) continue;
          const position = String(msg.seq);
          try {
            found.push({ event: decodeNatsMessage(msg.header, msg.data), position });
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
      const jsm = await jsmNow();
      const stream = await streamOf(jsm);
      try {
        // A plain delete: the event was delivered again, there is nothing to overwrite on disk.
        await jsm.streams.deleteMessage(stream, seq, false);
      } catch (error) {
        // Already gone (removed by an earlier replay, or aged out): done. Anything else is a failure.
        if ((await jsm.streams.getMessage(stream, { seq })) !== null) throw error;
      }
    },
  };
}
