/**
 * The validate stage: checks each event against its data contract (the schema
 * registry fills this seam). Until a registry is configured every event passes.
 */
import { type FieldFailure, GatewayError } from "../errors/errors.js";
import type { CloudEvent } from "../event/cloud-event.js";

export interface EventValidator {
  /** The contract violations of one event; empty when it conforms. */
  validate(event: CloudEvent, index: number): readonly FieldFailure[];
}

export const acceptAllEvents: EventValidator = { validate: () => [] };

/** Validates every event of a request; throws one 422 listing all violations. */
export function validateEvents(events: readonly CloudEvent[], validator: EventValidator): void {
  const failures = events.flatMap((event, index) => validator.validate(event, index));
  if (failures.length > 0) {
    throw new GatewayError("contract-violation", "An event does not match its data contract", { failures });
  }
}
