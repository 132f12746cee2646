/**
 * The file operations the outbox log needs, and nothing more: one folder of
 * segment files, written only at their end. Injected, so a test can stand in
 * a disk that loses whatever was not synced when it "crashes".
 */
export interface OutboxFs {
  /** The names of the files in the outbox folder. */
  list(): Promise<string[]>;
  readAll(name: string): Promise<Uint8Array>;
  /** Creates an empty file; the file and its folder entry are on stable storage when it resolves. */
  create(name: string): Promise<void>;
  /** Writes at the end of the file; not durable until `fsync` resolves. */
  append(name: string, bytes: Uint8Array): Promise<void>;
  /** Puts everything appended to the file so far on stable storage. */
  fsync(name: string): Promise<void>;
  /** Cuts the file to `length` bytes, durably. */
  truncate(name: string, length: number): Promise<void>;
  /** Removes the file, durably (its folder is synced). */
  unlink(name: string): Promise<void>;
  /** Releases open handles. */
  close(): Promise<void>;
}
