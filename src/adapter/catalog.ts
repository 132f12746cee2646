/**
 * A target catalog: the target types a gateway can create, each a small
 * static descriptor (options schema, addressing) and a loader for the
 * adapter itself. The core knows no concrete target type: each entry (Node,
 * Workers) composes the catalog its runtime can run and hands it in.
 */
import type { AdapterFactory, TargetDescriptor } from "./adapter.js";

/** An option set this runtime cannot run: where it is (under the target) and why. */
export interface OptionRefusal {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

export interface TargetType {
  readonly descriptor: TargetDescriptor;
  readonly load: () => Promise<AdapterFactory<never>>;
  /**
   * The options (valid by the descriptor's schema) that this entry's runtime
   * cannot run, refused when the config loads: a Worker has no gRPC, no SDKs
   * that need Node, no files.
   */
  readonly refuse?: (options: Readonly<Record<string, unknown>>) => readonly OptionRefusal[];
}

export type TargetCatalog = Readonly<Record<string, TargetType>>;

/** The catalog's entry for a type name, by own property only (type names come from config files). */
export function targetTypeOf(catalog: TargetCatalog, type: string): TargetType | undefined {
  return Object.hasOwn(catalog, type) ? catalog[type] : undefined;
}
