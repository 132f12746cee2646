/**
 * The authorize stage: every event of the request must be inside the
 * principal's grant. A batch is checked event by event and refused whole,
 * each event outside the grant named (403 forbidden).
 */
import { type FieldFailure, GatewayError } from "../errors/errors.js";
import type { CloudEvent } from "../event/cloud-event.js";
import type { AuthenticatedPrincipal } from "./authenticator.js";

export function authorizeEvents(
  events: readonly CloudEvent[],
  principal: AuthenticatedPrincipal | undefined,
  batch: boolean,
): void {
  if (principal === undefined) return;
  const failures: FieldFailure[] = [];
  events.forEach((event, index) => {
    const refusal = principal.grants.refusal(event, index, batch ? `/${index}` : "");
    if (refusal !== undefined) failures.push(refusal);
  });
  if (failures.length > 0) {
    throw new GatewayError(
      "forbidden",
      `${failures.length} of ${events.length} event(s) are outside this credential's grant`,
      {
        failures,
      },
    );
  }
}
