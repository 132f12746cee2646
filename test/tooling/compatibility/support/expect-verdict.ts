/**
 * Reads a compatibility result as one expectation: compatible, breaking by a
 * given rule, or undecidable by a given rule.
 */
import { expect, it } from "vitest";
import {
  type CompatibilityMode,
  type CompatibilityResult,
  checkCompatibility,
  type SchemaResolver,
} from "../../../../src/tooling/compatibility/index.js";

export type Expected = "compatible" | { readonly breaking: string } | { readonly undecidable: string };

export function expectVerdict(result: CompatibilityResult, expected: Expected): void {
  const summary = {
    compatible: result.compatible,
    breaking: result.breaking.map((change) => change.rule),
    undecidable: result.undecidable.map((change) => change.rule),
  };
  if (expected === "compatible") {
    expect(summary).toEqual({ compatible: true, breaking: [], undecidable: [] });
  } else if ("breaking" in expected) {
    expect(summary.compatible).toBe(false);
    expect(summary.breaking).toContain(expected.breaking);
  } else {
    expect(summary).toMatchObject({ compatible: false, breaking: [] });
    expect(summary.undecidable).toContain(expected.undecidable);
  }
}

export function check(
  old: object,
  next: object,
  mode: CompatibilityMode,
  resolve?: SchemaResolver,
): CompatibilityResult {
  return checkCompatibility([old], next, mode, resolve);
}

/** One rule exercised both ways: the verdict for BACKWARD and for FORWARD when `old` becomes `next`. */
export interface RuleCase {
  readonly name: string;
  readonly old: object;
  readonly next: object;
  readonly backward: Expected;
  readonly forward: Expected;
}

export function runRuleCases(cases: readonly RuleCase[]): void {
  for (const { name, old, next, backward, forward } of cases) {
    it(`${name}: BACKWARD ${JSON.stringify(backward)}, FORWARD ${JSON.stringify(forward)}`, () => {
      expectVerdict(check(old, next, "BACKWARD"), backward);
      expectVerdict(check(old, next, "FORWARD"), forward);
    });
  }
}
