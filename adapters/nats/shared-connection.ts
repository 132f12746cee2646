/**
 * What the NATS targets of one gateway share per server set and
 * credentials: the connection, the ledger of what was sent on it, the flush
 * rounds that confirm core publishes and the JetStream publisher with its
 * inbox, wired to the connection's refusals and losses.
 */
import type { NatsConnection } from "@nats-io/nats-core";
import type { AdapterRuntime } from "../../src/adapter/adapter.js";
import { ManagedConnection, type NatsConnector } from "./connection.js";
import { type FlushRound, FlushRounds, type TurnWrite } from "./flush-rounds.js";
import { JetStreamPublisher } from "./jetstream-publisher.js";
import { PublishLedger } from "./publish-ledger.js";

export interface SharedNats {
  readonly connection: ManagedConnection;
  readonly ledger: PublishLedger;
  readonly jetstream: JetStreamPublisher;
  /** A flush round for publishes just written: this turn's shared one, or the caller's own, sent now. */
  roundFor(nc: NatsConnection): FlushRound;
  /**
   * Makes publishes and the flush round that confirms them: where rounds are
   * shared, the write waits for the end of the turn and goes out with the
   * turn's other writes (./flush-rounds.ts); elsewhere it is made at once.
   */
  writeAndConfirm(nc: NatsConnection, write: TurnWrite): FlushRound;
  close(): Promise<void>;
}

export function openSharedNats(
  connector: NatsConnector,
  retryWaitMs: number,
  runtime: Pick<AdapterRuntime, "nextTurn" | "shareInFlight">,
): SharedNats {
  const connection = new ManagedConnection(connector, retryWaitMs);
  const ledger = new PublishLedger();
  const rounds = new FlushRounds(ledger, runtime.nextTurn);
  // Sharing a round means awaiting what another request started: only where the runtime allows it.
  const roundFor = (nc: NatsConnection) =>
    runtime.shareInFlight ? rounds.shared(nc) : rounds.sendPrivate(nc);
  const writeAndConfirm = (nc: NatsConnection, write: TurnWrite) => {
    if (runtime.shareInFlight) return rounds.shared(nc, write);
    write.write();
    return rounds.sendPrivate(nc);
  };
  const jetstream = new JetStreamPublisher(ledger, roundFor, (nc, write) => {
    if (runtime.shareInFlight) rounds.shared(nc, write);
    else write.write();
  });
  connection.onDenial((denial) => ledger.deny(denial.subject, denial.message));
  connection.onLoss(() => {
    jetstream.lost();
    rounds.lost();
    // Whatever was still open went with the connection: it no longer counts against the budget.
    ledger.processedUntil(ledger.position);
  });
  return {
    connection,
    ledger,
    jetstream,
    roundFor,
    writeAndConfirm,
    close: () => connection.close(),
  };
}
