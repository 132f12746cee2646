/**
 * Resources adapters share within one gateway (a NATS connection per server
 * set), counted by reference: created by the first user, destroyed when the
 * last one releases it. One instance per gateway, passed in the adapter
 * runtime, so there is no module-level state.
 */
export interface Lease<T> {
  readonly value: T;
  /** Gives the resource back; the last release destroys it. Idempotent. */
  release(): Promise<void>;
}

interface Entry {
  readonly value: unknown;
  readonly destroy: () => Promise<void>;
  users: number;
}

export class SharedResources {
  readonly #entries = new Map<string, Entry>();

  acquire<T>(key: string, create: () => T, destroy: (value: T) => Promise<void>): Lease<T> {
    let entry = this.#entries.get(key);
    if (entry === undefined) {
      const value = create();
      entry = { value, destroy: () => destroy(value), users: 0 };
      this.#entries.set(key, entry);
    }
    entry.users++;
    const held = entry;
    let released = false;
    return {
      value: held.value as T,
      release: async () => {
        if (released) return;
        released = true;
        held.users--;
        if (held.users === 0 && this.#entries.get(key) === held) {
          this.#entries.delete(key);
          await held.destroy();
        }
      },
    };
  }
}
