/**
 * The JetStream stream the JetStream configurations publish into. It exists
 * only while one of them runs: created empty before its server starts and
 * deleted after, so every JetStream configuration starts from the same
 * state, and NATS core configurations (same subjects) measure plain core
 * publishing instead of also paying for the stream's writes.
 */
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";

export const STREAM = "CE_BENCH";

/** @param {string} url */
export async function streamControl(url) {
  const nc = await connect({ servers: url });
  const jsm = await jetstreamManager(nc);
  return {
    async create() {
      await jsm.streams.add({
        name: STREAM,
        subjects: ["perf.>"],
        // Spans a whole measurement (warm-up and load) and a soak's reconnects: an id sent twice
        // would be deduplicated, so the per-run nonces must keep every id unique within it.
        duplicate_window: 120 * 1e9,
        // Bounded, so a long run or a soak cannot fill the disk: the oldest messages go first.
        max_msgs: 1_000_000,
        discard: "old",
      });
    },
    /** Messages stored now (how many events the configuration really persisted). */
    async messages() {
      return (await jsm.streams.info(STREAM)).state.messages;
    },
    async remove() {
      await jsm.streams.delete(STREAM).catch(() => undefined);
    },
    async close() {
      await nc.close();
    },
  };
}
