/**
 * `$ref`: local definitions (draft-07 `definitions`, 2020-12 `$defs`),
 * anchors, other documents through the resolver, recursive schemas, and
 * references that cannot be followed.
 */
import { describe, expect, it } from "vitest";
import { checkCompatibility } from "../../../src/tooling/compatibility/index.js";
import { check, expectVerdict } from "./support/expect-verdict.js";

const D2020 = "https://json-schema.org/draft/2020-12/schema";

function withMoney(money: object, draft: "draft-07" | "2020-12" = "draft-07"): object {
  const container = draft === "2020-12" ? "$defs" : "definitions";
  return {
    ...(draft === "2020-12" ? { $schema: D2020 } : {}),
    [container]: { money: money },
    type: "object",
    properties: { total: { $ref: `#/${container}/money` } },
  };
}

describe("references", () => {
  it("follows draft-07 definitions and reports the path inside them", () => {
    const old = withMoney({ type: "integer" });
    const next = withMoney({ type: "number" });
    expectVerdict(check(old, next, "BACKWARD"), "compatible");
    const forward = check(old, next, "FORWARD");
    expectVerdict(forward, { breaking: "type-widened" });
    expect(forward.breaking[0]).toMatchObject({ path: "/definitions/money/type", direction: "forward" });
    expect(forward.breaking[0]?.message).toContain("/total");
  });

  it("follows 2020-12 $defs", () => {
    const old = withMoney({ type: "number", minimum: 0 }, "2020-12");
    const next = withMoney({ type: "number", minimum: 1 }, "2020-12");
    expectVerdict(check(old, next, "BACKWARD"), { breaking: "minimum-raised" });
    expectVerdict(check(old, next, "FORWARD"), "compatible");
  });

  it("compares versions whose definitions moved but did not change", () => {
    const old = { definitions: { a: { type: "string" } }, properties: { x: { $ref: "#/definitions/a" } } };
    const next = { definitions: { b: { type: "string" } }, properties: { x: { $ref: "#/definitions/b" } } };
    expectVerdict(check(old, next, "FULL"), "compatible");
  });

  it("follows anchors", () => {
    const old = { $schema: D2020, $defs: { a: { $anchor: "id", type: "string" } }, $ref: "#id" };
    const next = {
      $schema: D2020,
      $defs: { a: { $anchor: "id", type: "string", minLength: 1 } },
      $ref: "#id",
    };
    expectVerdict(check(old, next, "BACKWARD"), { breaking: "min-length-raised" });
  });

  it("loads other documents through the resolver, relative to $id", () => {
    const documents: Record<string, object> = {
      "https://example.com/schemas/money/1.json": { type: "integer" },
      "https://example.com/schemas/money/2.json": { type: "number" },
    };
    const resolve = (ref: string) => documents[ref];
    const order = (money: string, version: number) => ({
      $id: `https://example.com/schemas/order/${version}.json`,
      type: "object",
      properties: { total: { $ref: `../money/${money}` } },
    });
    const result = checkCompatibility([order("1.json", 1)], order("2.json", 2), "FULL", resolve);
    expect(result.breaking).toEqual([
      expect.objectContaining({
        rule: "type-widened",
        direction: "forward",
        path: "https://example.com/schemas/money/1.json#/type",
      }),
    ]);
  });

  it("passes fragments to the resolver when it only knows whole references", () => {
    const resolve = (ref: string) => (ref === "urn:shared#/definitions/id" ? { type: "string" } : undefined);
    const old = { properties: { id: { $ref: "urn:shared#/definitions/id" } } };
    expectVerdict(check(old, { properties: { id: { type: "string" } } }, "FULL", resolve), "compatible");
  });

  it("refuses a reference it cannot resolve", () => {
    const old = { properties: { id: { $ref: "https://example.com/missing.json" } } };
    const next = { properties: { id: { type: "string" } } };
    expectVerdict(check(old, next, "BACKWARD"), { undecidable: "ref-unresolved" });
    expectVerdict(check(old, next, "FORWARD"), { undecidable: "ref-unresolved" });
  });

  it("compares recursive schemas by induction on the data", () => {
    const list = (value: object) => ({
      definitions: {
        node: {
          type: "object",
          properties: { value, next: { $ref: "#/definitions/node" } },
          required: ["value"],
        },
      },
      $ref: "#/definitions/node",
    });
    expectVerdict(check(list({ type: "integer" }), list({ type: "number" }), "BACKWARD"), "compatible");
    expectVerdict(check(list({ type: "integer" }), list({ type: "number" }), "FORWARD"), {
      breaking: "type-widened",
    });
    expectVerdict(check(list({ type: "integer" }), list({ type: "integer" }), "FULL"), "compatible");
  });

  it("refuses a reference loop that consumes no data", () => {
    const old = { type: "string" };
    const next = {
      definitions: { a: { allOf: [{ $ref: "#/definitions/a" }], not: { $ref: "#/definitions/a" } } },
      $ref: "#/definitions/a",
    };
    const result = check(old, next, "BACKWARD");
    expect(result.compatible).toBe(false);
  });

  it("reads draft-07 keywords beside $ref both ways (spec ignores them, Ajv applies them)", () => {
    const old = { definitions: { s: { type: "string" } }, $ref: "#/definitions/s", minLength: 3 };
    const plain = { definitions: { s: { type: "string" } }, $ref: "#/definitions/s" };
    expectVerdict(check(old, old, "FULL"), "compatible");
    expectVerdict(check(old, plain, "BACKWARD"), "compatible");
    expectVerdict(check(old, plain, "FORWARD"), { breaking: "min-length-lowered" });
  });

  it("applies 2020-12 keywords beside $ref", () => {
    const old = { $schema: D2020, $defs: { s: { type: "string" } }, $ref: "#/$defs/s", minLength: 3 };
    const next = { $schema: D2020, $defs: { s: { type: "string" } }, $ref: "#/$defs/s", minLength: 2 };
    expectVerdict(check(old, next, "BACKWARD"), "compatible");
    expectVerdict(check(old, next, "FORWARD"), { breaking: "min-length-lowered" });
  });
});
