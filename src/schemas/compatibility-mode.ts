/**
 * The registry's compatibility modes, by name: what the config accepts and
 * the admin API enforces. The checker that applies them is tooling
 * (src/tooling/compatibility/); the names live here so the config and the
 * run-time registry can speak of a mode without loading the checker.
 */
export type CompatibilityMode =
  | "BACKWARD"
  | "BACKWARD_TRANSITIVE"
  | "FORWARD"
  | "FORWARD_TRANSITIVE"
  | "FULL"
  | "FULL_TRANSITIVE"
  | "NONE";

export const COMPATIBILITY_MODES: readonly CompatibilityMode[] = [
  "BACKWARD",
  "BACKWARD_TRANSITIVE",
  "FORWARD",
  "FORWARD_TRANSITIVE",
  "FULL",
  "FULL_TRANSITIVE",
  "NONE",
];

export function isCompatibilityMode(value: unknown): value is CompatibilityMode {
  return COMPATIBILITY_MODES.includes(value as CompatibilityMode);
}
