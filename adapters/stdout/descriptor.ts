/** The `stdout` target's options and addressing (loaded without the adapter). */
import type { TargetDescriptor } from "../../src/adapter/adapter.js";

/** How long one attempt may take (the delivery layer bounds in-process targets too). */
const DEFAULT_TIMEOUT_MS = 10_000;

export const stdoutDescriptor: TargetDescriptor = {
  type: "stdout",
  optionsSchema: {
    type: "object",
    description: "Writes each event as one line of JSON (structured mode) to standard output.",
    properties: { type: { const: "stdout" } },
    required: ["type"],
    additionalProperties: false,
  },
  addressing: {},
  defaultTimeoutMs: DEFAULT_TIMEOUT_MS,
};
