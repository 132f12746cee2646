/**
 * The CESQL TCK from cloudevents/spec (275 cases in 18 files), run through
 * tools/cesql-tck.js against the built module, so `npm run build` comes first
 * (`npm test` does it).
 */
import { describe, expect, it } from "vitest";
import { sharedAvailable, sharedPath, sharedSkipReason } from "../../support/shared-dir.js";

/** What tools/cesql-tck.js exports (plain JavaScript, so TypeScript cannot see its JSDoc types). */
interface TckRunner {
  readonly EXPECTED_CASES: number;
  runTck(dir: string): Promise<
    {
      readonly file: string;
      readonly total: number;
      readonly passed: number;
      readonly failures: readonly { name: string; expected: unknown; actual: unknown }[];
      readonly overrides: readonly { name: string; reason: string }[];
    }[]
  >;
}

// A specifier in a variable keeps tsc from looking for a declaration file; vitest resolves it as usual.
const runnerPath = "../../../tools/cesql-tck.js";
const { EXPECTED_CASES, runTck } = (await import(runnerPath)) as TckRunner;

if (!sharedAvailable) console.warn(`skipping the CESQL TCK: ${sharedSkipReason}`);

const title = sharedAvailable ? "CESQL TCK" : `CESQL TCK (skipped: ${sharedSkipReason})`;

describe.skipIf(!sharedAvailable)(title, () => {
  it("passes all 275 cases, overriding only the one that contradicts spec 3.7", async () => {
    const results = await runTck(sharedPath("conformance", "cesql-tck"));
    const failures = results.flatMap((r) => r.failures.map((f) => ({ file: r.file, ...f })));
    const total = results.reduce((n, r) => n + r.total, 0);
    const passed = results.reduce((n, r) => n + r.passed, 0);

    expect(failures).toEqual([]);
    expect(results).toHaveLength(18);
    expect(EXPECTED_CASES).toBe(275);
    expect(total).toBe(EXPECTED_CASES);
    expect(passed).toBe(EXPECTED_CASES);
    expect(results.flatMap((r) => r.overrides.map((o) => `${r.file}: ${o.name}`))).toEqual([
      "not_operator.yaml: Invalid int cast",
    ]);
  });
});
