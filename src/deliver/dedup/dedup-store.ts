/**
 * Where the gateway remembers which (source, id) pairs it has delivered, and
 * to which of their targets: an interface so the core stays runtime-neutral.
 * One instance keeps records in memory (memory-dedup-store.ts); instances
 * that share the work keep them in a NATS JetStream key-value bucket
 * (adapters/nats/dedup); a Worker keeps them in a Durable Object
 * (src/entries/workers). Every store forgets a record `windowMs` after it
 * was last written.
 */

/**
 * What the gateway knows of one (source, id) pair. `acked` holds the delivery
 * keys (a target's name, or `<target>~<route>` for a route's transformed
 * variant) that acknowledged the event; `complete` is set once every delivery
 * of its plan acked, and a repeat is then answered as a duplicate.
 */
export interface DedupRecord {
  readonly acked: readonly string[];
  readonly complete: boolean;
}

export interface DedupStore {
  /** The records of these pairs, in order; undefined where none is kept (never seen, or forgotten). */
  lookup(pairs: readonly DedupPair[]): Promise<readonly (DedupRecord | undefined)[]>;
  /**
   * Writes these records, each merged into any kept (mergeDedupRecords) and
   * kept for the window from now. Resolves once they are stored; a failure
   * rejects, and the caller answers as usual (a record not written only costs
   * a repeat delivery).
   */
  record(entries: readonly { readonly pair: DedupPair; readonly record: DedupRecord }[]): Promise<void>;
  /** Releases connections; safe to call more than once. */
  close(): Promise<void>;
}

export interface DedupPair {
  readonly source: string;
  readonly id: string;
}

/**
 * A record written over a kept one: the union of the acked keys (a delivery
 * that acked stays acked, whichever instance wrote last) and `complete` once
 * true stays true. Every store merges this way, so two instances recording
 * the same pair at once lose nothing.
 */
export function mergeDedupRecords(kept: DedupRecord | undefined, written: DedupRecord): DedupRecord {
  const acked = new Set(kept?.acked);
  for (const key of written.acked) acked.add(key);
  return { acked: [...acked], complete: (kept?.complete ?? false) || written.complete };
}

/** One string per pair, unambiguous: the newline cannot occur in a valid `source` (a URI-reference). */
export const pairKey = (pair: DedupPair): string => `${pair.source}\n${pair.id}`;

/**
 * A pair as a key any store accepts (NATS KV keys allow only `[-/_=.a-zA-Z0-9]`,
 * Durable Object names are bounded): the hex SHA-256 of pairKey, by WebCrypto.
 */
export async function hashedPairKey(pair: DedupPair): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(pairKey(pair)));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export interface DedupConfig {
  /** How long a pair is remembered after it was last written. */
  readonly windowMs: number;
  /** Memory store: at most this many pairs, least recently used forgotten first. */
  readonly maxEntries: number;
  readonly store: DedupStoreConfig;
}

export type DedupStoreConfig =
  | { readonly type: "memory" }
  | {
      readonly type: "nats-kv";
      readonly url?: string;
      readonly servers?: readonly string[];
      readonly bucket: string;
      readonly token?: string;
      readonly user?: string;
      readonly pass?: string;
    }
  | { readonly type: "durable-object" };

export const DEFAULT_DEDUP_WINDOW_MS = 10 * 60_000;
export const DEFAULT_DEDUP_MAX_ENTRIES = 100_000;
