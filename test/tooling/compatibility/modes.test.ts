/**
 * The modes through `checkCompatibility`: which earlier versions are checked,
 * in which direction, and what is reported.
 */
import { describe, expect, it } from "vitest";
import {
  COMPATIBILITY_MODES,
  checkCompatibility,
  isSubschema,
} from "../../../src/tooling/compatibility/index.js";
import { expectVerdict } from "./support/expect-verdict.js";

const text = (maxLength: number) => ({ type: "string", maxLength });

describe("compatibility modes", () => {
  it("NONE accepts anything, and so does every mode for a first version", () => {
    expectVerdict(checkCompatibility([{ type: "string" }], { type: "integer" }, "NONE"), "compatible");
    for (const mode of COMPATIBILITY_MODES) {
      expectVerdict(checkCompatibility([], { type: "integer" }, mode), "compatible");
    }
  });

  it("BACKWARD checks the latest version only; BACKWARD_TRANSITIVE checks them all", () => {
    const versions = [text(10), text(5)];
    expectVerdict(checkCompatibility(versions, text(8), "BACKWARD"), "compatible");
    const transitive = checkCompatibility(versions, text(8), "BACKWARD_TRANSITIVE");
    expectVerdict(transitive, { breaking: "max-length-lowered" });
    expect(transitive.breaking[0]?.message).toContain("version 1");
  });

  it("FORWARD checks that the latest version accepts the new data; FORWARD_TRANSITIVE, every version", () => {
    const versions = [text(5), text(10)];
    expectVerdict(checkCompatibility(versions, text(8), "FORWARD"), "compatible");
    expectVerdict(checkCompatibility(versions, text(8), "FORWARD_TRANSITIVE"), {
      breaking: "max-length-raised",
    });
  });

  it("FULL needs both directions, FULL_TRANSITIVE against every version", () => {
    const full = checkCompatibility([{ type: "integer" }], { type: "number" }, "FULL");
    expect(full.breaking.map((change) => [change.direction, change.rule])).toEqual([
      ["forward", "type-widened"],
    ]);
    const annotated = [
      { type: "string", title: "v1" },
      { type: "string", description: "v2" },
    ];
    expectVerdict(
      checkCompatibility(annotated, { type: "string", title: "v3" }, "FULL_TRANSITIVE"),
      "compatible",
    );
    const narrowed = checkCompatibility([text(5), text(10)], text(7), "FULL_TRANSITIVE");
    expect(narrowed.breaking.map((change) => `${change.direction} ${change.rule}`).sort()).toEqual([
      "backward max-length-lowered",
      "forward max-length-raised",
    ]);
  });

  it("points backward changes into the new schema and forward ones into the earlier version", () => {
    const old = { type: "object", properties: { id: { type: "string" } }, required: ["id"] };
    const next = { type: "object", properties: { id: { type: "string" } }, required: [] as string[] };
    const forward = checkCompatibility([old], next, "FORWARD");
    expect(forward.breaking).toEqual([
      {
        path: "/required/0",
        rule: "required-removed",
        direction: "forward",
        message: 'Version 1 requires the property "id", which the new schema does not.',
      },
    ]);
    const backward = checkCompatibility([next], old, "BACKWARD");
    expect(backward.breaking).toEqual([
      {
        path: "/required/0",
        rule: "required-added",
        direction: "backward",
        message: 'The new schema requires the property "id", which version 1 does not.',
      },
    ]);
  });

  it("refuses what it cannot decide instead of guessing", () => {
    const result = checkCompatibility(
      [{ type: "string", pattern: "^a" }],
      { type: "string", pattern: "^a.*" },
      "BACKWARD",
    );
    expect(result).toMatchObject({ compatible: false, breaking: [] });
    expect(result.undecidable).toHaveLength(1);
  });

  it("rejects bad input", () => {
    expect(() => checkCompatibility([{}], {}, "SIDEWAYS" as never)).toThrow(TypeError);
    expect(() => checkCompatibility([{}], [] as never, "BACKWARD")).toThrow(TypeError);
  });

  it("exposes the core question as isSubschema", () => {
    expect(isSubschema({ type: "integer" }, { type: "number" })).toMatchObject({ ok: true });
    const narrower = isSubschema({ type: "number" }, { type: "integer" });
    expect(narrower.ok).toBe(false);
    expect(narrower.reasons[0]?.rule).toBe("type-narrowed");
    expect(isSubschema(false, { type: "integer" }).ok).toBe(true);
    expect(isSubschema(true, {}).ok).toBe(true);
  });
});
