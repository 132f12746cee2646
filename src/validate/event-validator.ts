/**
 * The validate stage: checks each event against its data contract (the schema
 * registry fills this seam). Until a registry is configured every event passes.
 */
import { type FieldFailure, GatewayError } from "../errors/errors.js";
import type { CloudEvent } from "../event/cloud-event.js";

/** Where an event stands in its request, for the pointers of its failures. */
export interface EventPosition {
  readonly index: number;
  /** "" for a single event, "/3" for a batch's fourth. */
  readonly pointerPrefix: string;
}

export interface ContractVerdict {
  /** Violations that refuse the event (enforce mode). */
  readonly failures: readonly FieldFailure[];
  /** Violations that are only reported (warn mode). */
  readonly warnings: readonly FieldFailure[];
  /** The schema the event was checked against, when there was one. */
  readonly schema?: string;
}

export interface EventValidator {
  validate(event: CloudEvent, position: EventPosition): ContractVerdict;
}

export const PASSED: ContractVerdict = Object.freeze({ failures: [], warnings: [] });

export const acceptAllEvents: EventValidator = { validate: () => PASSED };

/**
 * Validates every event of a request: throws one 422 listing all violations,
 * or returns the verdicts (warnings included) for the observer.
 */
export function validateEvents(
  events: readonly CloudEvent[],
  validator: EventValidator,
  batched: boolean,
): ContractVerdict[] {
  const verdicts = events.map((event, index) =>
    validator.validate(event, { index, pointerPrefix: batched ? `/${index}` : "" }),
  );
  const failures: FieldFailure[] = [];
  for (const verdict of verdicts) for (const failure of verdict.failures) failures.push(failure);
  if (failures.length > 0) {
    throw new GatewayError("contract-violation", "An event does not match its data contract", { failures });
  }
  return verdicts;
}
