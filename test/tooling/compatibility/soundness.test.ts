/**
 * Soundness against Ajv: for random schemas and random evolutions of them,
 * whenever the checker calls a change BACKWARD-compatible, every generated
 * instance Ajv accepts under the old schema is accepted under the new one
 * (and the FORWARD analogue). Instances are random JSON, JSON generated from
 * either schema, and small changes to those.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CompatibilityResult, checkCompatibility } from "../../../src/tooling/compatibility/index.js";
import { referenceValidators } from "./support/ajv.js";
import { type Dialect, evolve, type Json, random, rootSchema } from "./support/random-schemas.js";
import { anyValue, nudge, valueFrom } from "./support/random-values.js";

const DRAFTS: Record<Dialect, string> = {
  "draft-07": "http://json-schema.org/draft-07/schema#",
  "2020-12": "https://json-schema.org/draft/2020-12/schema",
};
const RUNS = Number(process.env.COMPAT_RUNS ?? 2000);
const SEED = Number(process.env.COMPAT_SEED ?? 20_240_605);

interface Tally {
  compatible: number;
  breaking: number;
  undecidable: number;
  checked: number;
}

function tally(into: Tally, result: CompatibilityResult, rules: Map<string, number>): void {
  if (result.compatible) into.compatible++;
  else if (result.breaking.length > 0) into.breaking++;
  else into.undecidable++;
  for (const change of result.undecidable) rules.set(change.rule, (rules.get(change.rule) ?? 0) + 1);
}

function instancesFor(old: Json, next: Json, seed: number): Json[] {
  const r = random(seed ^ 0x5bd1e995);
  const fromOld = Array.from({ length: 10 }, () => valueFrom(old, old as Record<string, Json>, r, 5));
  const fromNew = Array.from({ length: 10 }, () => valueFrom(next, next as Record<string, Json>, r, 5));
  const randoms = Array.from({ length: 8 }, () => anyValue(r, 3));
  const nudged = [...fromOld, ...fromNew].slice(0, 8).map((value) => nudge(value, r));
  return [...fromOld, ...fromNew, ...randoms, ...nudged];
}

describe("compatibility checker soundness (property, against Ajv)", () => {
  it("never calls a change compatible when an instance of the narrower schema is rejected by the wider", () => {
    const ajv = referenceValidators();
    const backward: Tally = { compatible: 0, breaking: 0, undecidable: 0, checked: 0 };
    const forward: Tally = { compatible: 0, breaking: 0, undecidable: 0, checked: 0 };
    const undecidableRules = new Map<string, number>();
    let pairs = 0;
    let instances = 0;
    /** Pairs whose schemas differ and that the checker still calls compatible one way. */
    let changedCompatible = 0;
    /** Instances on which the two schemas disagree: what an unsound verdict would be caught by. */
    let distinguishing = 0;
    fc.assert(
      fc.property(fc.integer(), fc.constantFrom<Dialect>("draft-07", "2020-12"), (seed, dialect) => {
        const r = random(seed);
        const old = rootSchema(r, dialect);
        const evolved = r.chance(0.1) ? rootSchema(r, dialect) : evolve(old, r, dialect);
        // Now and then the new version also moves to the other draft.
        const nextDialect: Dialect = r.chance(0.1)
          ? dialect === "draft-07"
            ? "2020-12"
            : "draft-07"
          : dialect;
        const next = nextDialect === dialect ? evolved : { ...evolved, $schema: DRAFTS[nextDialect] };
        const inOld = ajv.compile(old, dialect);
        const inNew = ajv.compile(next, nextDialect);
        if (inOld === undefined || inNew === undefined) return;
        pairs++;
        const back = checkCompatibility([old], next, "BACKWARD");
        const fwd = checkCompatibility([old], next, "FORWARD");
        tally(backward, back, undecidableRules);
        tally(forward, fwd, undecidableRules);
        if (JSON.stringify(old) !== JSON.stringify(next) && (back.compatible || fwd.compatible))
          changedCompatible++;
        for (const instance of instancesFor(old, next, seed)) {
          const validOld = inOld(instance);
          const validNew = inNew(instance);
          if (validOld === undefined || validNew === undefined) continue;
          instances++;
          if (validOld !== validNew) distinguishing++;
          if (back.compatible && validOld) {
            backward.checked++;
            if (!validNew) throw new Error(`BACKWARD unsound: ${JSON.stringify({ old, next, instance })}`);
          }
          if (fwd.compatible && validNew) {
            forward.checked++;
            if (!validOld) throw new Error(`FORWARD unsound: ${JSON.stringify({ old, next, instance })}`);
          }
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
    console.log(
      `compatibility soundness: ${pairs} schema pairs (${changedCompatible} changed and compatible one way), ` +
        `${instances} instances (${distinguishing} valid under one schema only); ` +
        `BACKWARD ${JSON.stringify(backward)}; FORWARD ${JSON.stringify(forward)}; ` +
        `undecidable changes by rule ${JSON.stringify(Object.fromEntries([...undecidableRules].sort((a, b) => b[1] - a[1])))}`,
    );
    // The run means something only if compatible verdicts and checked instances are common.
    expect(backward.compatible).toBeGreaterThan(pairs * 0.1);
    expect(forward.compatible).toBeGreaterThan(pairs * 0.1);
    expect(backward.checked + forward.checked).toBeGreaterThan(pairs * 5);
    // Thousands of schema pairs: seconds on a quiet machine, several times that on a busy one.
  }, 180_000);
});
