/**
 * An in-memory disk for the outbox log that can crash. Per file it keeps the
 * bytes that were synced and the bytes written since; a crash keeps only the
 * synced ones (and, when asked, a prefix of the unsynced tail, as a torn
 * write leaves). The crashed view refuses every later call, so a store left
 * running on it cannot touch what survived; reopen on `survivor`.
 *
 * Creating, truncating and unlinking a file are durable when they resolve,
 * which is what the real implementation makes true by syncing the folder.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import type { OutboxFs } from "../../src/entries/node/outbox/outbox-fs.js";

interface FileState {
  synced: Uint8Array;
  unsynced: Uint8Array;
}

export interface CrashingFsOptions {
  /** A disk that lies: fsync resolves but syncs nothing. The durability proof must fail on it. */
  readonly fsyncSyncsNothing?: boolean;
}

/** How many bytes of a file's unsynced tail survive a crash (0: none). */
export type TornTail = (file: string, unsyncedLength: number) => number;

export class CrashedError extends Error {
  constructor() {
    super("The disk crashed");
    this.name = "CrashedError";
  }
}

const concat = (a: Uint8Array, b: Uint8Array) => {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
};

export class CrashingFs implements OutboxFs {
  readonly #files: Map<string, FileState>;
  readonly #options: CrashingFsOptions;
  #crashed = false;
  #calls = 0;
  #crashAt: { call: number; tornTail: TornTail | undefined } | undefined;
  #survivor: CrashingFs | undefined;
  fsyncs = 0;
  appends = 0;
  truncates = 0;

  constructor(options: CrashingFsOptions = {}, files = new Map<string, FileState>()) {
    this.#options = options;
    this.#files = files;
  }

  get crashed(): boolean {
    return this.#crashed;
  }

  /** The disk as it came back after the crash. */
  get survivor(): CrashingFs | undefined {
    return this.#survivor;
  }

  /** Crashes just as the `call`-th call from now (1-based) starts, before it has any effect. */
  crashAt(call: number, tornTail?: TornTail): void {
    this.#crashAt = { call: this.#calls + call, tornTail };
  }

  /** Crashes now; returns the disk as it comes back. */
  crash(tornTail?: TornTail): CrashingFs {
    if (this.#survivor !== undefined) return this.#survivor;
    this.#crashed = true;
    const files = new Map<string, FileState>();
    for (const [name, file] of this.#files) {
      const kept = Math.max(0, Math.min(file.unsynced.length, tornTail?.(name, file.unsynced.length) ?? 0));
      files.set(name, {
        synced: concat(file.synced, file.unsynced.subarray(0, kept)),
        unsynced: new Uint8Array(),
      });
    }
    this.#survivor = new CrashingFs(this.#options, files);
    return this.#survivor;
  }

  fileNames(): string[] {
    return [...this.#files.keys()].sort();
  }

  /** What a reader sees now, synced or not. */
  contents(name: string): Uint8Array {
    const file = this.#files.get(name);
    if (file === undefined) throw new Error(`no file ${name}`);
    return concat(file.synced, file.unsynced);
  }

  /** Overwrites bytes in place, durably: a bit flip or a bad sector, for corruption tests. */
  damage(name: string, offset: number, bytes: Uint8Array): void {
    const contents = this.contents(name);
    contents.set(bytes, offset);
    this.#files.set(name, { synced: contents, unsynced: new Uint8Array() });
  }

  async list(): Promise<string[]> {
    await this.#enter();
    return this.fileNames();
  }

  async readAll(name: string): Promise<Uint8Array> {
    await this.#enter();
    return this.contents(name).slice();
  }

  async create(name: string): Promise<void> {
    await this.#enter();
    if (this.#files.has(name)) throw new Error(`EEXIST ${name}`);
    this.#files.set(name, { synced: new Uint8Array(), unsynced: new Uint8Array() });
  }

  async append(name: string, bytes: Uint8Array): Promise<void> {
    await this.#enter();
    const file = this.#file(name);
    file.unsynced = concat(file.unsynced, bytes);
    this.appends++;
  }

  async fsync(name: string): Promise<void> {
    await this.#enter();
    const file = this.#file(name);
    this.fsyncs++;
    // Syncing takes a while: callers that arrive meanwhile have to wait for the next one.
    await nextTurn();
    if (this.#crashed) throw new CrashedError();
    if (this.#options.fsyncSyncsNothing) return;
    file.synced = concat(file.synced, file.unsynced);
    file.unsynced = new Uint8Array();
  }

  async truncate(name: string, length: number): Promise<void> {
    await this.#enter();
    this.#files.set(name, { synced: this.contents(name).slice(0, length), unsynced: new Uint8Array() });
    this.truncates++;
  }

  async unlink(name: string): Promise<void> {
    await this.#enter();
    this.#file(name);
    this.#files.delete(name);
  }

  async close(): Promise<void> {}

  /** Every call goes through here: it is where a scheduled crash happens, and where a crashed disk refuses. */
  async #enter(): Promise<void> {
    this.#calls++;
    if (this.#crashAt !== undefined && this.#calls >= this.#crashAt.call) this.crash(this.#crashAt.tornTail);
    if (this.#crashed) throw new CrashedError();
    await Promise.resolve();
    if (this.#crashed) throw new CrashedError();
  }

  #file(name: string): FileState {
    const file = this.#files.get(name);
    if (file === undefined) throw new Error(`ENOENT ${name}`);
    return file;
  }
}
