/**
 * The confirmation of core NATS publishes: a flush (PING) written after them
 * whose PONG proves the server read them, followed by one turn so that the
 * permission -ERRs the server sent before that PONG have reached the ledger.
 *
 * Where callers may share work (Node), every publish of one event-loop turn
 * joins one round, whose PING is sent at the end of that turn: 50 concurrent
 * requests cost one round trip instead of 50 (and one turn's wait after it
 * instead of 50). A publish made after the round's PING went out joins the
 * next round: a PONG never confirms what was written after its PING. Where
 * they may not (a Workers request), each call has a round of its own.
 *
 * A shared round also carries the turn's publishes, written together just
 * before its PING. nats.js writes its outbound buffer to the socket once per
 * microtask checkpoint, and the publishes of 50 requests are made from 50
 * separate continuations: each became a socket write of its own, the
 * gateway's largest CPU cost under load (18% of samples in `writeBuffer` at
 * 50 connections into NATS core). Written in one go, a turn's publishes and
 * the PING that confirms them leave in one write.
 */
import type { NatsConnection } from "@nats-io/nats-core";
import { describeError } from "../../src/errors/errors.js";
import type { PublishLedger } from "./publish-ledger.js";

/** One flush round trip and the publishes written before it. */
export interface FlushRound {
  /**
   * Resolves once the round is over: undefined when the server read every
   * publish written before its PING (refusals are in the ledger by then),
   * else why that is unknown.
   */
  readonly confirmed: Promise<string | undefined>;
}

/** Publishes deferred to the end of the turn; `cancel` runs instead when the round never sends. */
export interface TurnWrite {
  write(): void;
  cancel(): void;
}

interface Round extends FlushRound {
  finish(failure: string | undefined): void;
  finished: boolean;
  /** Writes to make just before the PING (shared rounds only). */
  readonly writes: TurnWrite[];
  /** The ledger position its PING proves; undefined until sent. */
  position: number | undefined;
}

const LOST_BEFORE_CONFIRMATION = "NATS did not confirm receipt: the connection was lost";

export class FlushRounds {
  #open: Round | undefined;
  readonly #inFlight = new Set<Round>();
  readonly #ledger: PublishLedger;
  readonly #nextTurn: () => Promise<void>;

  constructor(ledger: PublishLedger, nextTurn: () => Promise<void>) {
    this.#ledger = ledger;
    this.#nextTurn = nextTurn;
  }

  /**
   * The round of this turn, which every publish of the turn joins; its PING
   * goes out at the end of the turn, right after the turn's `write`s.
   */
  shared(nc: NatsConnection, write?: TurnWrite): FlushRound {
    let round = this.#open;
    if (round === undefined) {
      const created = this.#create();
      round = created;
      this.#open = created;
      void this.#nextTurn().then(() => {
        if (this.#open === created) this.#open = undefined;
        this.#send(created, nc);
      });
    }
    if (write !== undefined) round.writes.push(write);
    return round;
  }

  /** A round for one caller alone, sent at once: call after its publishes. */
  sendPrivate(nc: NatsConnection): FlushRound {
    const round = this.#create();
    this.#send(round, nc);
    return round;
  }

  /** The connection was lost: no round in flight (or about to be sent on it) will come back. */
  lost(): void {
    const open = this.#open;
    this.#open = undefined;
    open?.finish(LOST_BEFORE_CONFIRMATION);
    for (const round of this.#inFlight) round.finish(LOST_BEFORE_CONFIRMATION);
    this.#inFlight.clear();
  }

  #create(): Round {
    let settle: (failure: string | undefined) => void = () => {};
    const confirmed = new Promise<string | undefined>((resolve) => {
      settle = resolve;
    });
    const round: Round = {
      confirmed,
      position: undefined,
      finished: false,
      writes: [],
      finish: (failure) => {
        if (round.finished) return;
        round.finished = true;
        this.#inFlight.delete(round);
        for (const unwritten of round.writes.splice(0)) unwritten.cancel();
        if (round.position !== undefined) this.#ledger.processedUntil(round.position);
        settle(failure);
      },
    };
    return round;
  }

  #send(round: Round, nc: NatsConnection): void {
    if (round.finished) return;
    if (nc.isClosed()) {
      round.finish(LOST_BEFORE_CONFIRMATION);
      return;
    }
    for (const turnWrite of round.writes.splice(0)) turnWrite.write();
    round.position = this.#ledger.position;
    this.#inFlight.add(round);
    nc.flush().then(
      // The -ERRs that came before the PONG reach the ledger through the status stream: let them.
      () => this.#nextTurn().then(() => round.finish(undefined)),
      (error: unknown) => round.finish(`NATS did not confirm receipt: ${describeError(error)}`),
    );
  }
}
