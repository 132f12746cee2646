/**
 * The Worker's DedupStore: each pair's hashed key picks one of `shards`
 * DedupObjects (named `dedup-<n>`), and a batch makes one call per shard it
 * touches. Changing the number of shards moves pairs to other objects: their
 * records are forgotten, which costs repeat deliveries for one window at most.
 */
import type { DurableObjectNamespace } from "cloudflare:workers";
import {
  type DedupConfig,
  type DedupPair,
  type DedupRecord,
  type DedupStore,
  hashedPairKey,
} from "../../deliver/dedup/dedup-store.js";
import type { DedupObject, KeyedDedupRecord } from "./dedup-object.js";

/** The `DEDUP` binding (wrangler.toml). */
export type DedupNamespace = DurableObjectNamespace<DedupObject>;

/**
 * Few enough that a batch costs at most 2 × 16 calls (a lookup and a record
 * per shard), enough for some ten thousand calls a second across the objects.
 */
export const DEFAULT_DEDUP_SHARDS = 16;

/** The shard of a hashed key: its first 32 bits, as the digest is uniform. */
const shardOf = (key: string, shards: number) => Number.parseInt(key.slice(0, 8), 16) % shards;

/** Positions of `keys` grouped by shard, in first-seen order. */
function byShard(keys: readonly string[], shards: number): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  keys.forEach((key, i) => {
    const shard = shardOf(key, shards);
    const group = groups.get(shard);
    if (group === undefined) groups.set(shard, [i]);
    else group.push(i);
  });
  return groups;
}

export function dedupStoreViaDurableObject(
  namespace: DedupNamespace,
  options: Pick<DedupConfig, "windowMs"> & { readonly shards?: number },
): DedupStore {
  const shards = options.shards ?? DEFAULT_DEDUP_SHARDS;
  const object = (shard: number) => namespace.get(namespace.idFromName(`dedup-${shard}`));
  const hashed = (pairs: readonly DedupPair[]) => Promise.all(pairs.map(hashedPairKey));
  return {
    async lookup(pairs) {
      const keys = await hashed(pairs);
      const answers: (DedupRecord | undefined)[] = new Array(pairs.length).fill(undefined);
      await Promise.all(
        [...byShard(keys, shards)].map(async ([shard, positions]) => {
          const records = await object(shard).lookup(positions.map((i) => keys[i] as string));
          positions.forEach((position, j) => {
            answers[position] = records[j] ?? undefined;
          });
        }),
      );
      return answers;
    },
    async record(entries) {
      const keys = await hashed(entries.map(({ pair }) => pair));
      await Promise.all(
        [...byShard(keys, shards)].map(([shard, positions]) => {
          const keyed: KeyedDedupRecord[] = positions.map((i) => ({
            key: keys[i] as string,
            record: (entries[i] as (typeof entries)[number]).record,
          }));
          return object(shard).record(keyed, options.windowMs);
        }),
      );
    },
    // The objects hold no connection of this isolate's.
    close: () => Promise.resolve(),
  };
}
