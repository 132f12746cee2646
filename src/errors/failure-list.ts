/**
 * A bounded list of failures: keeps the first ones and only counts the rest,
 * so a hostile request (a batch of 500,000 non-events) costs a fixed amount
 * of memory, and the checks can stop once nothing more would be listed.
 */
import type { FieldFailure } from "./errors.js";

/** At most this many failures are kept and listed, so a hostile request cannot make a huge response. */
export const MAX_LISTED_FAILURES = 100;

export class FailureList {
  readonly #kept: FieldFailure[] = [];
  #omitted = 0;

  constructor(readonly limit: number = MAX_LISTED_FAILURES) {}

  /** True once as many failures are kept as will ever be listed. */
  get full(): boolean {
    return this.#kept.length >= this.limit;
  }

  add(failure: FieldFailure): void {
    if (this.full) this.#omitted++;
    else this.#kept.push(failure);
  }

  /** Counts failures that were found elsewhere but not kept. */
  addOmitted(count: number): void {
    this.#omitted += count;
  }

  get kept(): readonly FieldFailure[] {
    return this.#kept;
  }

  /** Failures found beyond the kept ones. */
  get omitted(): number {
    return this.#omitted;
  }

  /** Every failure found, kept or not. */
  get size(): number {
    return this.#kept.length + this.#omitted;
  }
}
