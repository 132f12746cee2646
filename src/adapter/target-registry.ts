/**
 * The targets of one config generation, by name. Adapters are created on
 * first use (so a gateway starts even while a broker is down) and live in a
 * pool shared by every generation of a gateway: a generation holds a lease on
 * each adapter it uses, an adapter whose settings did not change is handed to
 * the next generation, and an adapter is closed only when no live generation
 * holds it any more.
 */
import { adapterOptionsOf } from "../config/delivery-config.js";
import { describeError } from "../errors/errors.js";
import type { Adapter, AdapterFactory, AdapterRuntime } from "./adapter.js";
import { type TargetCatalog, targetTypeOf } from "./catalog.js";
import type { Lease } from "./shared-resources.js";

export interface TargetConfig {
  readonly type: string;
  readonly [option: string]: unknown;
}

export interface TargetStatus {
  readonly type: string;
  readonly ready: boolean;
  readonly error?: string;
}

/** JSON with sorted keys, so reordering a target's options in the file is not a change. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** The attempt timeout of a target whose type the catalog does not know (an adapter handed in by a library user). */
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 10_000;

export class TargetRegistry {
  readonly #configs: ReadonlyMap<string, TargetConfig>;
  readonly #runtime: AdapterRuntime;
  readonly #catalog: TargetCatalog;
  readonly #provided: Readonly<Record<string, Adapter>>;
  readonly #leases = new Map<string, Lease<Promise<Adapter>>>();
  /** Adapters whose creation has finished, for synchronous reads of what they learned (routing). */
  readonly #created = new Map<string, Adapter>();
  #released = false;

  constructor(
    configs: Readonly<Record<string, TargetConfig>>,
    runtime: AdapterRuntime,
    provided: Readonly<Record<string, Adapter>>,
    catalog: TargetCatalog,
  ) {
    const all = new Map(Object.entries(configs));
    for (const [name, adapter] of Object.entries(provided)) all.set(name, { type: adapter.type });
    this.#configs = all;
    this.#provided = provided;
    this.#runtime = runtime;
    this.#catalog = catalog;
    // Adapters handed in are the gateway's from the start: leased now, closed with the gateway.
    for (const name of Object.keys(provided)) void this.get(name);
  }

  has(name: string): boolean {
    return this.#configs.has(name);
  }

  names(): string[] {
    return [...this.#configs.keys()];
  }

  /**
   * How long one attempt to the target may take: its `timeoutMs` option, else
   * its type's default. Read from config and descriptor: no adapter is created.
   */
  attemptTimeoutMs(name: string): number {
    const config = this.#configs.get(name);
    if (config === undefined) return DEFAULT_ATTEMPT_TIMEOUT_MS;
    const configured = config.timeoutMs;
    if (typeof configured === "number" && configured > 0) return configured;
    return (
      targetTypeOf(this.#catalog, config.type)?.descriptor.defaultTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS
    );
  }

  /** The config the adapter is made from: delivery settings (retry, breaker) change no connection. */
  #adapterConfig(name: string): Record<string, unknown> | undefined {
    const config = this.#configs.get(name);
    return config === undefined ? undefined : { type: config.type, ...adapterOptionsOf(config) };
  }

  /** The pool key: the same name with the same settings is the same adapter. */
  #keyOf(name: string): string {
    return name in this.#provided
      ? `target:${name}:provided`
      : `target:${name}:${canonical(this.#adapterConfig(name))}`;
  }

  /**
   * The target's adapter if it has been created already (provided ones always
   * are); never creates one. Routing reads limits adapters learned from it.
   */
  created(name: string): Adapter | undefined {
    if (Object.hasOwn(this.#provided, name)) return this.#provided[name];
    return this.#created.get(name);
  }

  /** The adapter for a target, created on first use; a failed creation is retried next time. */
  get(name: string): Promise<Adapter> {
    const held = this.#leases.get(name);
    if (held !== undefined) return held.value;
    if (this.#released) return Promise.reject(new Error("The gateway is closed"));
    const lease = this.#runtime.shared.acquire(
      this.#keyOf(name),
      () => this.#create(name),
      async (pending) => {
        const adapter = await pending.catch(() => undefined);
        await adapter?.close();
      },
    );
    this.#leases.set(name, lease);
    lease.value.then(
      (adapter) => {
        if (this.#leases.get(name) === lease) this.#created.set(name, adapter);
      },
      () => {},
    );
    lease.value.catch(() => {
      if (this.#leases.get(name) === lease) this.#leases.delete(name);
      this.#created.delete(name);
      void lease.release();
    });
    return lease.value;
  }

  async #create(name: string): Promise<Adapter> {
    const provided = Object.hasOwn(this.#provided, name) ? this.#provided[name] : undefined;
    if (provided !== undefined) return provided;
    const config = this.#configs.get(name);
    if (config === undefined) throw new Error(`Unknown target "${name}"`);
    const load = targetTypeOf(this.#catalog, config.type)?.load;
    if (load === undefined) throw new Error(`Unknown target type "${config.type}"`);
    const factory = (await load()) as AdapterFactory<Record<string, unknown>>;
    return factory.create(adapterOptionsOf(config), this.#runtime);
  }

  /**
   * The registry for a new config, sharing this one's pool. Adapters of targets
   * whose settings did not change are leased to it at once, so they stay open
   * (with their connections) when this generation is released.
   */
  successor(configs: Readonly<Record<string, TargetConfig>>): TargetRegistry {
    const next = new TargetRegistry(configs, this.#runtime, this.#provided, this.#catalog);
    for (const name of this.#leases.keys()) {
      if (next.has(name) && next.#keyOf(name) === this.#keyOf(name)) void next.get(name).catch(() => {});
    }
    return next;
  }

  /** Creates every configured adapter now, in the background, so connections open before the first event. */
  warmUp(): void {
    for (const name of this.names()) void this.get(name).catch(() => {});
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

  /** Gives back every adapter this generation holds; those no other generation holds are closed. Idempotent. */
  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    const leases = [...this.#leases.values()];
    this.#leases.clear();
    this.#created.clear();
    await Promise.allSettled(leases.map((lease) => lease.release()));
  }
}
