/** The `memory` target's options and addressing (loaded without the adapter). */
import type { TargetDescriptor } from "../../src/adapter/adapter.js";
import { addressCharacterViolation } from "../../src/bindings/address-rules.js";

/** How long one attempt may take (the delivery layer bounds in-process targets too). */
const DEFAULT_TIMEOUT_MS = 10_000;

export const memoryDescriptor: TargetDescriptor = {
  type: "memory",
  optionsSchema: {
    type: "object",
    description: "Keeps events in the process, newest last (tests, the console).",
    properties: {
      type: { const: "memory" },
      maxEvents: {
        type: "integer",
        minimum: 1,
        default: 10000,
        description: "Oldest events are dropped beyond this.",
      },
      address: { type: "string", description: "Template recorded with each event, e.g. `orders.{type}`." },
      orderingKey: { type: "string", description: "Template recorded as each event's ordering key." },
    },
    required: ["type"],
    additionalProperties: false,
  },
  addressing: { address: "address", orderingKey: "orderingKey", checkAddress: addressCharacterViolation },
  defaultTimeoutMs: DEFAULT_TIMEOUT_MS,
  // Whatever it stores it can list and remove: a replayable dead letter (within the process).
  readsBack: () => true,
};
