/**
 * The checker's own three-valued validator (used for listed values, property
 * names and disjointness) must agree with Ajv whenever it gives an answer.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createEnv } from "../../../src/tooling/compatibility/env.js";
import { createDocument, rootNode, type Schema } from "../../../src/tooling/compatibility/schema-node.js";
import { validateValue } from "../../../src/tooling/compatibility/validate-value.js";
import { referenceValidators } from "./support/ajv.js";
import { type Dialect, type Json, random, rootSchema } from "./support/random-schemas.js";
import { anyValue, nudge, valueFrom } from "./support/random-values.js";

function verdictOf(schema: Json, value: Json): string {
  const node = rootNode(createDocument(schema as Schema, { top: true }));
  return validateValue(value, node, createEnv(undefined)).status;
}

describe("three-valued validator", () => {
  it("agrees with Ajv whenever it decides", () => {
    const ajv = referenceValidators();
    const counts = { agreed: 0, unknown: 0 };
    fc.assert(
      fc.property(fc.integer(), fc.constantFrom<Dialect>("draft-07", "2020-12"), (seed, dialect) => {
        const r = random(seed);
        const schema = rootSchema(r, dialect);
        const validate = ajv.compile(schema, dialect);
        if (validate === undefined) return;
        const values = [
          ...Array.from({ length: 6 }, () => valueFrom(schema, schema, r, 5)),
          ...Array.from({ length: 4 }, () => anyValue(r, 3)),
        ];
        for (const value of [...values, ...values.slice(0, 4).map((v) => nudge(v, r))]) {
          const expected = validate(value);
          if (expected === undefined) continue;
          const status = verdictOf(schema, value);
          if (status === "unknown") {
            counts.unknown++;
            continue;
          }
          expect({ schema, value, status }).toEqual({
            schema,
            value,
            status: expected ? "valid" : "invalid",
          });
          counts.agreed++;
        }
      }),
      { numRuns: 1000, seed: 7 },
    );
    expect(counts.agreed).toBeGreaterThan(counts.unknown);
  });

  it("reads a draft-07 $ref with siblings as undecided when the readings differ", () => {
    const schema = { definitions: { s: { type: "string" } }, $ref: "#/definitions/s", minLength: 3 };
    expect(verdictOf(schema, "ab")).toBe("unknown");
    expect(verdictOf(schema, "abc")).toBe("valid");
    expect(verdictOf(schema, 1)).toBe("invalid");
  });

  it("applies $ref siblings in 2020-12", () => {
    const schema = {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      $defs: { s: { type: "string" } },
      $ref: "#/$defs/s",
      minLength: 3,
    };
    expect(verdictOf(schema, "ab")).toBe("invalid");
  });
});
