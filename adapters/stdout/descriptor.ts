/** The `stdout` target's options and addressing (loaded without the adapter). */
import type { TargetDescriptor } from "../../src/adapter/adapter.js";

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
};
