/**
 * Built-in target types, each loaded lazily by name so that a deployment only
 * ever loads the adapters (and SDKs) its config names.
 */
import type { AdapterFactory } from "./adapter.js";

type FactoryLoader = () => Promise<AdapterFactory<never>>;

export const BUILTIN_TARGETS: Readonly<Record<string, FactoryLoader>> = {
  stdout: () => import("../../adapters/stdout/index.js").then((m) => m.stdoutTarget),
  memory: () => import("../../adapters/memory/index.js").then((m) => m.memoryTarget),
};
