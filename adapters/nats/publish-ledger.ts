/**
 * What one connection has sent that the server has not yet been seen to
 * process, in the order it was sent: core and JetStream publishes alike.
 *
 * It answers two questions. Which publish did the server refuse? A
 * permissions -ERR names only the subject, and the server refuses in the
 * order it reads, so each refusal belongs to the oldest open publish to that
 * subject (the client library matches its own requests the same way).
 * And how much may still be sent? Bytes written to a socket the server is
 * not reading pile up in the client without bound, so publishes are admitted
 * only while the open bytes stay within a budget; callers beyond it wait (in
 * order, bounded by their attempt) until the server catches up.
 */

/** A publish the server has not yet been seen to process. */
export interface SentPublish {
  readonly subject: string;
  /** Why the server refused it, once it did (permissions). */
  readonly denial: string | undefined;
}

interface Entry extends SentPublish {
  readonly seq: number;
  readonly bytes: number;
  denial: string | undefined;
  open: boolean;
  readonly onDenied: ((reason: string) => void) | undefined;
}

interface Waiter {
  readonly bytes: number;
  readonly resolve: () => void;
}

/**
 * Open bytes per connection beyond which publishes wait. Large enough for
 * 50 concurrent batches of 100 events of 4 KiB without waiting, small enough
 * that a server that stops reading costs the gateway tens of MiB, not all of
 * its memory, before the attempts waiting for room time out.
 */
export const SEND_BUDGET_BYTES = 32 * 1024 * 1024;

export class PublishLedger {
  #entries: Entry[] = [];
  #head = 0;
  #seq = 0;
  #openBytes = 0;
  readonly #waiters: Waiter[] = [];
  readonly #budget: number;

  constructor(budget = SEND_BUDGET_BYTES) {
    this.#budget = budget;
  }

  /** Bytes admitted and not yet processed by the server. */
  get openBytes(): number {
    return this.#openBytes;
  }

  /**
   * Reserves `bytes` for publishes about to be sent: at once (undefined) when
   * they fit the budget and nobody waits before them, else a promise that
   * resolves once they do, or rejects with the signal's reason. A batch larger
   * than the whole budget is admitted alone, once nothing else is open.
   */
  admit(bytes: number, signal: AbortSignal): Promise<void> | undefined {
    if (this.#waiters.length === 0 && this.#fits(bytes)) {
      this.#openBytes += bytes;
      return undefined;
    }
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        bytes,
        resolve: () => {
          signal.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        const at = this.#waiters.indexOf(waiter);
        if (at >= 0) this.#waiters.splice(at, 1);
        reject(signal.reason);
        // Whoever waited behind it may fit now.
        this.#wake();
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  /** Gives back admitted bytes that were not sent after all. */
  release(bytes: number): void {
    this.#openBytes -= bytes;
    this.#wake();
  }

  /**
   * Records a publish just written, holding `bytes` of what was admitted.
   * `onDenied` is called if the server refuses it.
   */
  record(subject: string, bytes: number, onDenied?: (reason: string) => void): SentPublish {
    this.#dropClosedHead();
    const entry: Entry = { seq: this.#seq++, subject, bytes, denial: undefined, open: true, onDenied };
    this.#entries.push(entry);
    return entry;
  }

  /** Where the ledger stands: a flush sent now proves the publishes recorded before this position. */
  get position(): number {
    return this.#seq;
  }

  /** The server refused a publish to `subject`: the oldest open one. */
  deny(subject: string, reason: string): void {
    for (let i = this.#head; i < this.#entries.length; i++) {
      const entry = this.#entries[i] as Entry;
      if (!entry.open || entry.subject !== subject) continue;
      entry.denial = reason;
      this.#close(entry);
      this.#dropClosedHead();
      entry.onDenied?.(reason);
      this.#wake();
      return;
    }
  }

  /** The server processed this publish (a JetStream reply came). */
  processed(publish: SentPublish): void {
    const entry = publish as Entry;
    if (!entry.open) return;
    this.#close(entry);
    this.#dropClosedHead();
    this.#wake();
  }

  /**
   * Everything recorded before `position` was processed, and every refusal
   * of it has been reported (a flush sent at `position` came back, and a
   * turn passed for the -ERRs before its PONG to reach the listeners); or
   * the connection that carried it is gone, and nothing more will be heard
   * of it.
   */
  processedUntil(position: number): void {
    while (this.#head < this.#entries.length) {
      const entry = this.#entries[this.#head] as Entry;
      if (entry.seq >= position) break;
      this.#close(entry);
      this.#head++;
    }
    this.#dropClosedHead();
    this.#wake();
  }

  #close(entry: Entry): void {
    if (!entry.open) return;
    entry.open = false;
    this.#openBytes -= entry.bytes;
  }

  #fits(bytes: number): boolean {
    return this.#openBytes === 0 || this.#openBytes + bytes <= this.#budget;
  }

  #wake(): void {
    while (this.#waiters.length > 0 && this.#fits((this.#waiters[0] as Waiter).bytes)) {
      const waiter = this.#waiters.shift() as Waiter;
      this.#openBytes += waiter.bytes;
      waiter.resolve();
    }
  }

  /** Forgets closed entries at the front; compacts once most of the array is behind the head. */
  #dropClosedHead(): void {
    while (this.#head < this.#entries.length && !(this.#entries[this.#head] as Entry).open) this.#head++;
    if (this.#head === this.#entries.length) {
      this.#entries = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#entries.length) {
      this.#entries = this.#entries.slice(this.#head);
      this.#head = 0;
    }
  }
}
