/**
 * A target catalog: the target types a gateway can create, each a small
 * static descriptor (options schema, addressing) and a loader for the
 * adapter itself. The core knows no concrete target type: each entry (Node,
 * Workers) composes the catalog its runtime can run and hands it in.
 */
import type { AdapterFactory, TargetDescriptor } from "./adapter.js";

export interface TargetType {
  readonly descriptor: TargetDescriptor;
  readonly load: () => Promise<AdapterFactory<never>>;
}

export type TargetCatalog = Readonly<Record<string, TargetType>>;

/** The catalog's entry for a type name, by own property only (type names come from config files). */
export function targetTypeOf(catalog: TargetCatalog, type: string): TargetType | undefined {
  return Object.hasOwn(catalog, type) ? catalog[type] : undefined;
}
