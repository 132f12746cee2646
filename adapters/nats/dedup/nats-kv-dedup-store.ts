/**
 * Dedup records in a NATS JetStream key-value bucket, shared by every gateway
 * instance connected to it. The bucket's TTL (the stream's max_age) is the
 * window: each write is a new message, so a record is forgotten a window
 * after its last write, by the server. Keys are hashedPairKey (KV keys allow
 * only `[-/_=.a-zA-Z0-9]`); values are the record as JSON.
 *
 * Writes merge by compare-and-set: read the record and its revision, write
 * the union only if the revision is still the last (`update`), or only if
 * there is none (`create`); another instance writing in between makes the
 * server refuse it, and the write is tried again on what is there now.
 * Nothing here needs a server newer than 2.9 (no per-message TTL).
 */
import type { KV, KvEntry } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/nats-core";
import {
  type DedupConfig,
  type DedupPair,
  type DedupRecord,
  type DedupStore,
  hashedPairKey,
  mergeDedupRecords,
} from "../../../src/deliver/dedup/dedup-store.js";

/**
 * How many times a write is tried while other writers move the same pair.
 * Each refused attempt means another writer's write landed between this
 * one's read and write, and each writer lands once: up to this many writers
 * of one pair at once all get through.
 */
const WRITE_ATTEMPTS = 10;

/** JetStream's "wrong last sequence": the key's revision moved since it was read (or it appeared). */
const WRONG_LAST_SEQUENCE = 10071;

const utf8 = new TextDecoder();

/** A stored value as a record; anything unreadable counts as none (it is overwritten by the next write). */
function recordOf(entry: KvEntry | null): DedupRecord | undefined {
  if (entry === null || entry.operation !== "PUT") return undefined;
  try {
    const value = JSON.parse(utf8.decode(entry.value)) as Partial<DedupRecord>;
    if (!Array.isArray(value.acked) || typeof value.complete !== "boolean") return undefined;
    return { acked: value.acked.filter((key) => typeof key === "string"), complete: value.complete };
  } catch {
    return undefined;
  }
}

const isRevisionConflict = (error: unknown) =>
  (error as { code?: unknown }).code === WRONG_LAST_SEQUENCE || /wrong last sequence/i.test(String(error));

/** Merges `written` into what the bucket holds under `key`, retrying while other writers move it. */
async function mergeInto(kv: KV, key: string, written: DedupRecord): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const entry = await kv.get(key);
    const kept = recordOf(entry);
    const value = JSON.stringify(mergeDedupRecords(kept, written));
    try {
      // A deleted or purged key still has a revision: writing over it is an update.
      if (entry === null) await kv.create(key, value);
      else await kv.update(key, value, entry.revision);
      return;
    } catch (error) {
      if (!isRevisionConflict(error) || attempt >= WRITE_ATTEMPTS) throw error;
    }
  }
}

/** Several records of one pair in one write are merged first: one compare-and-set per pair. */
async function byKey(
  entries: readonly { readonly pair: DedupPair; readonly record: DedupRecord }[],
): Promise<Map<string, DedupRecord>> {
  const keys = await Promise.all(entries.map(({ pair }) => hashedPairKey(pair)));
  const merged = new Map<string, DedupRecord>();
  entries.forEach(({ record }, i) => {
    const key = keys[i] as string;
    merged.set(key, mergeDedupRecords(merged.get(key), record));
  });
  return merged;
}

/**
 * A dedup store over a bucket already opened (its TTL is the window).
 * `release` runs on close: closing the connection, when the caller gave it away.
 */
export function natsKvDedupStore(kv: KV, release: () => Promise<void> = async () => {}): DedupStore {
  let closed: Promise<void> | undefined;
  return {
    async lookup(pairs) {
      const keys = await Promise.all(pairs.map(hashedPairKey));
      return Promise.all(keys.map(async (key) => recordOf(await kv.get(key))));
    },
    async record(entries) {
      const merged = await byKey(entries);
      await Promise.all([...merged].map(([key, record]) => mergeInto(kv, key, record)));
    },
    close() {
      closed ??= release();
      return closed;
    },
  };
}

/**
 * Opens the bucket on a connection, creating it with the window as its TTL
 * when absent (an existing bucket keeps the TTL it was created with), and a
 * history of one: only the last record of a pair matters.
 */
export async function openNatsKvDedupStore(
  nc: NatsConnection,
  options: { readonly bucket: string } & Pick<DedupConfig, "windowMs">,
  release?: () => Promise<void>,
): Promise<DedupStore> {
  const { Kvm } = await import("@nats-io/kv");
  const kv = await new Kvm(nc).create(options.bucket, { history: 1, ttl: options.windowMs });
  return natsKvDedupStore(kv, release);
}
