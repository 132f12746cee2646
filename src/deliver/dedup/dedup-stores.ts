/**
 * The dedup stores of one gateway: opened from the config through the
 * entry's opener (memory in the core; NATS KV on Node; a Durable Object on
 * Workers), kept across reloads while their settings stay the same, so a
 * reload forgets nothing, and closed with the gateway.
 */
import { ConfigError } from "../../config/config-error.js";
import type { DedupConfig, DedupStore } from "./dedup-store.js";

/**
 * Opens the store a config asks for; undefined when this runtime has no such
 * store. It may connect lazily: a store's calls may fail until it can.
 */
export type DedupStoreOpener = (config: DedupConfig) => DedupStore | undefined;

/** A store opened in the background: calls wait for it; a failed open is retried on the next call. */
export function lazyDedupStore(open: () => Promise<DedupStore>): DedupStore {
  let opening: Promise<DedupStore> | undefined;
  let closed = false;
  const store = () => {
    opening ??= open().catch((error: unknown) => {
      opening = undefined;
      throw error;
    });
    return opening;
  };
  return {
    lookup: async (pairs) => (await store()).lookup(pairs),
    record: async (entries) => (await store()).record(entries),
    async close() {
      if (closed) return;
      closed = true;
      const pending = opening;
      opening = undefined;
      await pending?.then((s) => s.close()).catch(() => {});
    },
  };
}

export class DedupStores {
  readonly #open: DedupStoreOpener;
  readonly #stores = new Map<string, DedupStore>();

  constructor(open: DedupStoreOpener) {
    this.#open = open;
  }

  /** The store for these settings (the same one as before when they did not change); throws ConfigError when the runtime has none. */
  get(config: DedupConfig): DedupStore {
    const key = JSON.stringify(config);
    const kept = this.#stores.get(key);
    if (kept !== undefined) return kept;
    const store = this.#open(config);
    if (store === undefined) {
      throw new ConfigError([
        {
          path: "delivery.dedup.store.type",
          message: `this runtime has no "${config.store.type}" dedup store`,
        },
      ]);
    }
    this.#stores.set(key, store);
    return store;
  }

  async close(): Promise<void> {
    const stores = [...this.#stores.values()];
    this.#stores.clear();
    await Promise.allSettled(stores.map((store) => store.close()));
  }
}
