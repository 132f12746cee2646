/**
 * The dedup stores a Node gateway can open: memory (one instance) and a NATS
 * JetStream key-value bucket (instances that share the work). The bucket is
 * connected in the background: until it answers, events are delivered in full.
 */
import type { Clock } from "../../context/request-context.js";
import { type DedupStoreOpener, lazyDedupStore } from "../../deliver/dedup/dedup-stores.js";
import { memoryDedupStore } from "../../deliver/dedup/memory-dedup-store.js";
import { natsKvDedupStore } from "./nats-kv-dedup-store.js";

export const nodeDedupStores =
  (clock?: Clock): DedupStoreOpener =>
  (config) => {
    const { store } = config;
    switch (store.type) {
      case "memory":
        return memoryDedupStore({ ...config, ...(clock !== undefined && { clock }) });
      case "nats-kv": {
        const { type: _type, ...options } = store;
        return lazyDedupStore(() => natsKvDedupStore({ ...options, windowMs: config.windowMs }));
      }
      case "durable-object":
        return undefined;
    }
  };
