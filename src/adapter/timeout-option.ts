/**
 * The `timeoutMs` option every target with I/O offers, described once: it
 * bounds one delivery attempt, which the delivery layer makes.
 */
import type { JsonSchema } from "./adapter.js";

export const timeoutOption = (defaultMs: number): JsonSchema => ({
  type: "integer",
  minimum: 1,
  default: defaultMs,
  description:
    "How long one delivery attempt may take; the request's deadline (delivery.timeoutMs) may end it sooner.",
});
