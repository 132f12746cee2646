/**
 * JetStream publishing, pipelined: every message of a call is written at
 * once, in order (so the stream stores a batch in the order given), with a
 * reply subject under one inbox subscription per connection, and the call
 * waits once for all the stream's acknowledgements, bounded by its attempt.
 *
 * Why not `js.publish` per message: each one is a client request with its
 * own timer, token, promise chain and (unless the connection turns async
 * traces off) a captured stack, and wants its timeout as a number while the
 * attempt's signal already bounds the wait. Measured (median of 3 runs of
 * 3 s, 50 concurrent publishers, nats-server 2.9 on the same 2-core
 * machine, one connection, one JetStream client shared by all calls):
 * `js.publish` 10,500 events/s for single events and 14,900 for batches of
 * 100 (88 and 82 us CPU per event), 15,000 and 16,600 with async traces
 * off; this publisher 26,000 and 32,200 (30 and 27 us CPU per event).
 * It also leaves `@nats-io/jetstream` out of the adapter: the Worker bundle
 * is 67 KiB smaller minified (17 KiB gzip).
 */
import type { Msg, MsgHdrs, NatsConnection, Subscription } from "@nats-io/nats-core";
import { type PublishOutcome, retriable } from "../../src/adapter/adapter.js";
import { untilAborted } from "../../src/adapter/until-aborted.js";
import type { TurnWrite } from "./flush-rounds.js";
import { classifyJetStreamError, outcomeOfReply, refusedPublish } from "./jetstream-outcome.js";
import type { PublishLedger, SentPublish } from "./publish-ledger.js";

type NatsCore = typeof import("@nats-io/nats-core");

/** A message ready to publish; its `bytes` were admitted by the ledger. */
export interface JetStreamMessage {
  readonly subject: string;
  readonly data: Uint8Array;
  readonly bytes: number;
}

/** One call's messages awaiting their acknowledgements. */
interface Batch {
  readonly outcomes: (PublishOutcome | undefined)[];
  /** The reply token of each message still waiting. */
  readonly tokens: (string | undefined)[];
  remaining: number;
  readonly done: () => void;
}

interface Waiting {
  readonly batch: Batch;
  readonly index: number;
  readonly subject: string;
  sent: SentPublish | undefined;
}

interface Inbox {
  readonly nc: NatsConnection;
  /** The reply subject prefix; a message's reply subject is the prefix and its token. */
  readonly prefix: string;
  readonly subscription: Subscription;
}

const LOST = "JetStream did not acknowledge: the connection to NATS was lost";

export class JetStreamPublisher {
  #inbox: Inbox | undefined;
  #nextToken = 0;
  readonly #waiting = new Map<string, Waiting>();
  readonly #ledger: PublishLedger;
  readonly #abandoned: (nc: NatsConnection) => void;
  readonly #writeAtTurnEnd: (nc: NatsConnection, write: TurnWrite) => void;

  /**
   * `abandoned` is called when a call stops waiting with publishes still
   * open in the ledger: something must later prove the server processed
   * them (a flush), or their bytes would count against the budget forever.
   * `writeAtTurnEnd` makes a call's publishes with the turn's other writes
   * where the runtime lets requests share them (one socket write for all;
   * ./flush-rounds.ts says why), or at once.
   */
  constructor(
    ledger: PublishLedger,
    abandoned: (nc: NatsConnection) => void,
    writeAtTurnEnd: (nc: NatsConnection, write: TurnWrite) => void,
  ) {
    this.#ledger = ledger;
    this.#abandoned = abandoned;
    this.#writeAtTurnEnd = writeAtTurnEnd;
  }

  /**
   * Publishes the messages in order and resolves with one outcome per
   * message once all are known. Headers are built as each message is
   * written (`headersOf`) and not kept while the acks are awaited: objects
   * that outlive a young-generation collection cost far more to collect.
   */
  async publish<M extends JetStreamMessage>(
    nc: NatsConnection,
    core: NatsCore,
    messages: readonly M[],
    headersOf: (message: M) => MsgHdrs,
    signal: AbortSignal,
  ): Promise<PublishOutcome[]> {
    const inbox = this.#inboxFor(nc, core);
    let done: () => void = () => {};
    const settled = new Promise<void>((resolve) => {
      done = resolve;
    });
    const batch: Batch = {
      outcomes: new Array(messages.length).fill(undefined),
      tokens: new Array(messages.length).fill(undefined),
      remaining: messages.length,
      done,
    };
    let gaveUp = false;
    const write = () => {
      // A caller that stopped waiting before the end of the turn has had its answer: nothing is sent.
      if (gaveUp) {
        this.#ledger.release(messages.reduce((sum, m) => sum + m.bytes, 0));
        return;
      }
      messages.forEach((message, index) => {
        const token = (this.#nextToken++).toString(36);
        const waiting: Waiting = { batch, index, subject: message.subject, sent: undefined };
        try {
          nc.publish(message.subject, message.data, {
            reply: inbox.prefix + token,
            headers: headersOf(message),
          });
        } catch (error) {
          // The client refused it (a closed connection, a payload over the server's limit): as a request would.
          this.#ledger.release(message.bytes);
          this.#settle(waiting, classifyJetStreamError(error, message.subject));
          return;
        }
        batch.tokens[index] = token;
        this.#waiting.set(token, waiting);
        waiting.sent = this.#ledger.record(message.subject, message.bytes, (reason) =>
          this.#answer(token, refusedPublish(message.subject, reason)),
        );
      });
    };
    const cancel = () => {
      this.#ledger.release(messages.reduce((sum, m) => sum + m.bytes, 0));
      messages.forEach((message, index) => {
        this.#settle({ batch, index, subject: message.subject, sent: undefined }, retriable(LOST));
      });
    };
    this.#writeAtTurnEnd(nc, { write, cancel });
    if (batch.remaining > 0) {
      try {
        await untilAborted(settled, signal);
      } catch (reason) {
        gaveUp = true;
        this.#giveUp(batch, messages, reason);
        this.#abandoned(nc);
      }
    }
    return batch.outcomes as PublishOutcome[];
  }

  /** The connection was lost: no acknowledgement still awaited will come. */
  lost(): void {
    const waiting = [...this.#waiting.values()];
    this.#waiting.clear();
    for (const w of waiting) this.#settle(w, retriable(LOST));
  }

  #inboxFor(nc: NatsConnection, core: NatsCore): Inbox {
    const current = this.#inbox;
    if (current !== undefined && current.nc === nc && !current.subscription.isClosed()) return current;
    const prefix = `${core.createInbox()}.`;
    const subscription = nc.subscribe(`${prefix}*`, {
      callback: (error, msg) => (error === null ? this.#reply(prefix, msg) : this.#inboxFailed(error)),
    });
    this.#inbox = { nc, prefix, subscription };
    return this.#inbox;
  }

  #reply(prefix: string, msg: Msg): void {
    if (!msg.subject.startsWith(prefix)) return;
    const token = msg.subject.slice(prefix.length);
    const waiting = this.#waiting.get(token);
    if (waiting === undefined) return; // its caller gave up
    this.#answer(token, outcomeOfReply(msg, waiting.subject));
  }

  #answer(token: string, outcome: PublishOutcome): void {
    const waiting = this.#waiting.get(token);
    if (waiting === undefined) return;
    this.#waiting.delete(token);
    if (waiting.sent !== undefined) this.#ledger.processed(waiting.sent);
    this.#settle(waiting, outcome);
  }

  /** The inbox subscription itself was refused (permissions) or closed: nothing awaited on it will come. */
  #inboxFailed(error: Error): void {
    this.#inbox = undefined;
    const waiting = [...this.#waiting.values()];
    this.#waiting.clear();
    for (const w of waiting) this.#settle(w, classifyJetStreamError(error, w.subject));
  }

  #giveUp(batch: Batch, messages: readonly JetStreamMessage[], reason: unknown): void {
    batch.tokens.forEach((token, index) => {
      if (batch.outcomes[index] !== undefined) return;
      // Unsent (still waiting for the end of the turn) or unanswered: either way, this caller's answer.
      if (token !== undefined) this.#waiting.delete(token);
      batch.outcomes[index] = classifyJetStreamError(reason, (messages[index] as JetStreamMessage).subject);
    });
  }

  #settle(waiting: Waiting, outcome: PublishOutcome): void {
    const { batch, index } = waiting;
    if (batch.outcomes[index] !== undefined) return;
    batch.outcomes[index] = outcome;
    batch.remaining--;
    if (batch.remaining === 0) batch.done();
  }
}
