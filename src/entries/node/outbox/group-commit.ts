/**
 * Group commit: every entry asked for in one event-loop turn, or while a
 * write and its fsync are under way, goes to disk in one write and one fsync.
 * Each caller's promise resolves only after that fsync, so a resolved promise
 * means the entry survives a crash; the fsync's cost is shared by all of them.
 *
 * A failed write or fsync breaks the log for good: after a failed fsync the
 * kernel may have dropped the unwritten pages, and a later fsync that
 * succeeds would say nothing about them.
 */
export interface CommitRequest {
  readonly frame: Uint8Array;
  /** Runs once the frame is durable, before the caller hears so, with the segment it went to. */
  readonly onDurable: (segment: number) => void;
}

interface Waiting extends CommitRequest {
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export class OutboxLogBrokenError extends Error {
  constructor(cause: unknown) {
    super("The outbox log could not be written; reopen the store", { cause });
    this.name = "OutboxLogBrokenError";
  }
}

export class GroupCommit {
  readonly #queue: Waiting[] = [];
  readonly #write: (frames: Uint8Array[]) => Promise<number>;
  readonly #afterWrite: () => Promise<void>;
  #flushing: Promise<void> | undefined;
  #broken: OutboxLogBrokenError | undefined;

  /** `write` appends the frames and fsyncs, resolving with the segment; `afterWrite` runs between writes. */
  constructor(write: (frames: Uint8Array[]) => Promise<number>, afterWrite: () => Promise<void>) {
    this.#write = write;
    this.#afterWrite = afterWrite;
  }

  submit(request: CommitRequest): Promise<void> {
    if (this.#broken !== undefined) return Promise.reject(this.#broken);
    return new Promise((resolve, reject) => {
      this.#queue.push({ ...request, resolve, reject });
      this.#flushing ??= this.#flush();
    });
  }

  /** Resolves once nothing is being written. */
  async idle(): Promise<void> {
    while (this.#flushing !== undefined) await this.#flushing;
  }

  async #flush(): Promise<void> {
    // Let the rest of this turn ask too: they share the write.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      while (this.#queue.length > 0 && this.#broken === undefined) {
        const batch = this.#queue.splice(0);
        let segment: number;
        try {
          segment = await this.#write(batch.map((request) => request.frame));
        } catch (error) {
          this.#breakWith(error, batch);
          return;
        }
        for (const request of batch) {
          request.onDurable(segment);
          request.resolve();
        }
        await this.#afterWrite().catch((error: unknown) => this.#breakWith(error, []));
      }
    } finally {
      this.#flushing = undefined;
    }
  }

  #breakWith(error: unknown, batch: Waiting[]): void {
    this.#broken = new OutboxLogBrokenError(error);
    for (const request of [...batch, ...this.#queue.splice(0)]) request.reject(this.#broken);
  }
}
