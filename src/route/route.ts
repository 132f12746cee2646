/**
 * Routes: which events go to which targets. A route's filter is compiled once
 * at load time into a predicate.
 */
import type { CloudEvent } from "../event/cloud-event.js";

export interface Route {
  readonly name: string;
  /** Target names, in the order configured. */
  readonly to: readonly string[];
  /** When this route matches, later routes are not evaluated. */
  readonly stop: boolean;
  matches(event: CloudEvent): boolean;
}

/** What happens to a valid event that no route matches. */
export type UnmatchedPolicy = "reject" | "accept";

export const matchEverything = () => true;
