/**
 * The configured targets by name. Adapters are created on first use (so a
 * gateway starts even while a broker is down) and closed together.
 */
import { describeError } from "../errors/errors.js";
import type { Adapter, AdapterFactory, AdapterRuntime } from "./adapter.js";
import { BUILTIN_TARGETS, type TargetCatalog } from "./catalog.js";

export interface TargetConfig {
  readonly type: string;
  readonly [option: string]: unknown;
}

export interface TargetStatus {
  readonly type: string;
  readonly ready: boolean;
  readonly error?: string;
}

export class TargetRegistry {
  readonly #configs: ReadonlyMap<string, TargetConfig>;
  readonly #runtime: AdapterRuntime;
  readonly #catalog: TargetCatalog;
  readonly #adapters = new Map<string, Promise<Adapter>>();
  readonly #provided: Readonly<Record<string, Adapter>>;
  #closed = false;

  constructor(
    configs: Readonly<Record<string, TargetConfig>>,
    runtime: AdapterRuntime,
    provided: Readonly<Record<string, Adapter>> = {},
    catalog = BUILTIN_TARGETS,
  ) {
    const all = new Map(Object.entries(configs));
    for (const [name, adapter] of Object.entries(provided)) {
      all.set(name, { type: adapter.type });
      this.#adapters.set(name, Promise.resolve(adapter));
    }
    this.#configs = all;
    this.#provided = provided;
    this.#runtime = runtime;
    this.#catalog = catalog;
  }

  has(name: string): boolean {
    return this.#configs.has(name);
  }

  names(): string[] {
    return [...this.#configs.keys()];
  }

  /** The adapter for a target, created on first use; a failed creation is retried next time. */
  get(name: string): Promise<Adapter> {
    const existing = this.#adapters.get(name);
    if (existing !== undefined) return existing;
    const created = this.#create(name);
    this.#adapters.set(name, created);
    created.catch(() => this.#adapters.delete(name));
    return created;
  }

  async #create(name: string): Promise<Adapter> {
    if (this.#closed) throw new Error("The gateway is closed");
    const config = this.#configs.get(name);
    if (config === undefined) throw new Error(`Unknown target "${name}"`);
    const load = this.#catalog[config.type]?.load;
    if (load === undefined) throw new Error(`Unknown target type "${config.type}"`);
    const factory = (await load()) as AdapterFactory<Record<string, unknown>>;
    const { type: _type, ...options } = config;
    return factory.create(options, this.#runtime);
  }

  /**
   * The registry for a new config: adapters of targets whose config did not
   * change (and adapters provided in code) carry over with their connections;
   * the others are returned as retired, for the caller to close once no
   * request uses them.
   */
  successor(configs: Readonly<Record<string, TargetConfig>>): {
    next: TargetRegistry;
    retired: Promise<Adapter>[];
  } {
    const next = new TargetRegistry(configs, this.#runtime, this.#provided, this.#catalog);
    const retired: Promise<Adapter>[] = [];
    for (const [name, pending] of this.#adapters) {
      if (name in this.#provided) continue;
      const before = this.#configs.get(name);
      const after = configs[name];
      if (after !== undefined && JSON.stringify(before) === JSON.stringify(after))
        next.#adapters.set(name, pending);
      else retired.push(pending);
    }
    return { next, retired };
  }

  async status(): Promise<Record<string, TargetStatus>> {
    const entries = await Promise.all(
      this.names().map(async (name): Promise<[string, TargetStatus]> => {
        const type = this.#configs.get(name)?.type ?? "unknown";
        try {
          const adapter = await this.get(name);
          return [name, { type, ready: await adapter.ready() }];
        } catch (error) {
          return [name, { type, ready: false, error: describeError(error) }];
        }
      }),
    );
    return Object.fromEntries(entries);
  }

  /** Closes every adapter created so far; later calls do nothing. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const adapters = [...this.#adapters.values()];
    this.#adapters.clear();
    await Promise.allSettled(adapters.map(async (pending) => (await pending).close()));
  }
}
