/**
 * How many cases each fuzz property runs. CI runs a small budget on every
 * `npm test`; `npm run fuzz` sets CE_FUZZ_RUNS high for a long run. fast-check
 * prints the seed and the shrunk counterexample of a failing property, and
 * CE_FUZZ_SEED replays a run.
 */
import type fc from "fast-check";

const DEFAULT_RUNS = 200;

function positiveInteger(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new Error(`${name} must be a positive integer, got ${raw}`);
  return value;
}

/** Cases per property (CE_FUZZ_RUNS, default 200). */
export const FUZZ_RUNS = positiveInteger("CE_FUZZ_RUNS") ?? DEFAULT_RUNS;

/** A long run may take this long per property; the CI budget stays far below it. */
export const FUZZ_TIMEOUT_MS = Math.max(60_000, FUZZ_RUNS * 100);

const seed = positiveInteger("CE_FUZZ_SEED");

/**
 * A long run's bound per property (CE_FUZZ_SECONDS): a property stops drawing
 * cases when it is spent, and that counts as a pass for the cases run so far.
 */
const secondsPerProperty = positiveInteger("CE_FUZZ_SECONDS");

/** Parameters for `fc.assert`: the run count, the replay seed when one is given, the time bound. */
export const fuzzParameters = (scale = 1): fc.Parameters<unknown> => ({
  numRuns: Math.max(1, Math.round(FUZZ_RUNS * scale)),
  ...(seed === undefined ? {} : { seed }),
  ...(secondsPerProperty === undefined
    ? {}
    : { interruptAfterTimeLimit: secondsPerProperty * 1000, markInterruptAsFailure: false }),
});

let casesRun = 0;

/** Counts one case (the long run reports the total). */
export function countCase(): void {
  casesRun++;
}

export const casesCounted = (): number => casesRun;
