/**
 * The budget deadline of an outbox attempt: none. No producer waits for it,
 * so each attempt ends by its target's own timeout (the attempt's deadline,
 * ../attempt.ts), and with one attempt per dispatch there is no retry for a
 * budget to bound. Passing `now + timeout` instead would end the attempt at
 * the same moment but name the wrong cause ("the delivery deadline passed"
 * rather than the target's timeout) in the record's lastError.
 */
export const NO_REQUEST_BUDGET = Number.POSITIVE_INFINITY;
