/**
 * Outbox stats read from the stream, so every instance sees the whole outbox,
 * whoever appended or completed: depth per target from the stream's
 * per-subject counts (the target is the subject's last token), the oldest
 * record per target from the first message on its subjects. Bytes per target
 * are an estimate: the stream only counts bytes in total (subjects and
 * headers included), shared out here by depth.
 *
 * `stats()` is synchronous, so it answers from the last refresh; a refresh
 * runs every interval and after this instance changed the stream.
 */
import type { JetStreamManager, MsgRequest } from "@nats-io/jetstream";
import type { OutboxTargetStats } from "../../../deliver/outbox/outbox-store.js";
import { decodeRecord, targetOfToken } from "./jetstream-outbox-codec.js";

export class JetStreamOutboxStats {
  readonly #jsm: JetStreamManager;
  readonly #stream: string;
  readonly #prefix: string;
  #current: ReadonlyMap<string, OutboxTargetStats> = new Map();
  #firstSeq = 0;
  #running: Promise<void> | undefined;
  #again = false;

  constructor(jsm: JetStreamManager, stream: string, prefix: string) {
    this.#jsm = jsm;
    this.#stream = stream;
    this.#prefix = prefix;
  }

  get current(): ReadonlyMap<string, OutboxTargetStats> {
    return this.#current;
  }

  /** The lowest sequence still in the stream at the last refresh: everything below it is gone. */
  get firstSeq(): number {
    return this.#firstSeq;
  }

  /** Refreshes; a call while one runs makes it run once more, so the result is never older than the call. */
  refresh(): Promise<void> {
    if (this.#running !== undefined) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      try {
        do {
          this.#again = false;
          await this.#read().catch(() => {
            // Unreachable for now: the last known stats stand until a refresh succeeds.
          });
        } while (this.#again);
      } finally {
        this.#running = undefined;
      }
    })();
    return this.#running;
  }

  async #read(): Promise<void> {
    const info = await this.#jsm.streams.info(this.#stream, { subjects_filter: `${this.#prefix}.>` });
    const depths = new Map<string, number>();
    for (const [subject, count] of Object.entries(info.state.subjects ?? {})) {
      const token = subject.slice(subject.lastIndexOf(".") + 1);
      depths.set(token, (depths.get(token) ?? 0) + count);
    }
    const bytesPerRecord = info.state.messages > 0 ? info.state.bytes / info.state.messages : 0;
    const stats = new Map<string, OutboxTargetStats>();
    for (const [token, depth] of depths) {
      if (depth === 0) continue;
      stats.set(targetOfToken(token), {
        depth,
        bytes: Math.round(depth * bytesPerRecord),
        oldestAcceptedAt: await this.#oldestAcceptedAt(token),
      });
    }
    this.#current = stats;
    this.#firstSeq = info.state.first_seq;
  }

  async #oldestAcceptedAt(token: string): Promise<number | undefined> {
    // The server (2.9) takes `next_by_subj` on a message get; the client's types only know it for direct gets.
    const first = { seq: 1, next_by_subj: `${this.#prefix}.*.${token}` } as MsgRequest;
    const oldest = await this.#jsm.streams.getMessage(this.#stream, first);
    if (oldest === null) return undefined;
    try {
      return decodeRecord(oldest.header, oldest.data).acceptedAt;
    } catch {
      return undefined;
    }
  }
}
