/**
 * The schema registry in memory: every version of every event type, indexed
 * by type and by `$id`, each with its validator compiled once on entry.
 * Storage (files, NATS KV) lives outside; this holds what is enforced now.
 */
import type { DataValidator, SchemaCompiler } from "./schema-compiler.js";
import type { SchemaVersion } from "./schema-version.js";

interface Entry {
  readonly version: SchemaVersion;
  readonly validate: DataValidator;
}

export class SchemaRegistry {
  readonly #compiler: SchemaCompiler;
  readonly #byType = new Map<string, SchemaVersion[]>();
  readonly #byId = new Map<string, Entry>();
  /** The latest version's entry per type: the lookup every event without dataschema makes. */
  readonly #latest = new Map<string, Entry>();
  #revision = 0;

  constructor(compiler: SchemaCompiler, versions: readonly SchemaVersion[] = []) {
    this.#compiler = compiler;
    this.add(versions);
  }

  /**
   * Adds versions (all or none): each must be new, by `$id` and by type and
   * number. Throws naming the problem; versions already known unchanged are
   * skipped (a watch may deliver what this instance registered itself).
   */
  add(versions: readonly SchemaVersion[]): void {
    const fresh = versions.filter((v) => {
      const known = this.#byId.get(v.id)?.version;
      return !(known && known.eventType === v.eventType && known.version === v.version);
    });
    for (const v of fresh) {
      const clash = this.#byId.get(v.id);
      if (clash)
        throw new Error(`$id ${v.id} is already ${clash.version.eventType} version ${clash.version.version}`);
      if (this.get(v.eventType, v.version))
        throw new Error(`${v.eventType} already has a version ${v.version}`);
    }
    if (fresh.length === 0) return;
    const compiled = this.#compiler.add(fresh);
    this.#revision++;
    for (const v of fresh) {
      this.#byId.set(v.id, { version: v, validate: compiled.get(v.id) as DataValidator });
      const list = this.#byType.get(v.eventType) ?? [];
      list.push(v);
      list.sort((a, b) => a.version - b.version);
      this.#byType.set(v.eventType, list);
      this.#latest.set(v.eventType, this.#byId.get((list.at(-1) as SchemaVersion).id) as Entry);
    }
  }

  /** Changes whenever versions are added, so users may cache lookups until then. */
  get revision(): number {
    return this.#revision;
  }

  types(): string[] {
    return [...this.#byType.keys()].sort();
  }

  versions(eventType: string): readonly SchemaVersion[] {
    return this.#byType.get(eventType) ?? [];
  }

  get(eventType: string, version: number): SchemaVersion | undefined {
    return this.versions(eventType).find((v) => v.version === version);
  }

  latest(eventType: string): SchemaVersion | undefined {
    return this.versions(eventType).at(-1);
  }

  latestEntry(eventType: string): Entry | undefined {
    return this.#latest.get(eventType);
  }

  byId(id: string): Entry | undefined {
    return this.#byId.get(id);
  }
}
