/**
 * A realistic event schema (sixty properties, shared definitions used from
 * many places, a recursive tree, a discriminated oneOf) is compared fully:
 * no "too complex", and one report per schema place however often it is used.
 */
import { describe, expect, it } from "vitest";
import { checkCompatibility } from "../../../src/tooling/compatibility/index.js";

/** The parts of the schema the tests change. */
interface OrderSchema {
  readonly definitions: {
    readonly money: { readonly properties: { readonly currency: { readonly enum: string[] } } };
  };
  readonly properties: { readonly payment: { readonly oneOf: object[] } };
}

function orderSchema(): OrderSchema {
  const fields: Record<string, object> = {};
  for (let index = 0; index < 60; index++) {
    fields[`field${index}`] = [
      { type: "string", maxLength: 100 },
      { type: "integer", minimum: 0 },
      { type: "array", items: { $ref: "#/definitions/line" } },
    ][index % 3] as object;
  }
  const kind = (name: string, extra: Record<string, object> = {}) => ({
    type: "object",
    properties: { kind: { const: name }, ...extra },
    required: ["kind", ...Object.keys(extra)],
  });
  const schema = {
    $schema: "http://json-schema.org/draft-07/schema#",
    definitions: {
      line: {
        type: "object",
        properties: {
          sku: { type: "string" },
          qty: { type: "integer", minimum: 1 },
          price: { $ref: "#/definitions/money" },
        },
        required: ["sku", "qty"],
        additionalProperties: false,
      },
      money: {
        type: "object",
        properties: { amount: { type: "number" }, currency: { enum: ["EUR", "USD", "GBP"] } },
        required: ["amount", "currency"],
      },
      node: {
        type: "object",
        properties: {
          name: { type: "string" },
          children: { type: "array", items: { $ref: "#/definitions/node" } },
        },
      },
    },
    type: "object",
    properties: {
      ...fields,
      tree: { $ref: "#/definitions/node" },
      payment: {
        oneOf: [
          kind("card", { last4: { type: "string" } }),
          kind("iban", { iban: { type: "string" } }),
          kind("cash"),
        ],
      },
    },
    required: ["field0", "field1"],
  };
  return schema;
}

describe("a large schema", () => {
  it("is compatible with itself under every transitive mode", () => {
    const result = checkCompatibility([orderSchema(), orderSchema()], orderSchema(), "FULL_TRANSITIVE");
    expect(result).toEqual({ compatible: true, breaking: [], undecidable: [] });
  });

  it("reports a changed shared definition once, and a new oneOf branch", () => {
    const next = orderSchema();
    next.definitions.money.properties.currency.enum.push("JPY");
    next.properties.payment.oneOf.push({
      type: "object",
      properties: { kind: { const: "voucher" } },
      required: ["kind"],
    });
    expect(checkCompatibility([orderSchema()], next, "BACKWARD").compatible).toBe(true);
    const forward = checkCompatibility([orderSchema()], next, "FORWARD");
    expect(forward.undecidable).toEqual([]);
    expect(forward.breaking.map((change) => [change.rule, change.path])).toEqual([
      ["enum-value-added", "/definitions/money/properties/currency/enum"],
      ["any-of-widened", "/properties/payment/oneOf"],
    ]);
    expect(forward.breaking[0]?.message).toMatch(/data at \/field2\/\*\/price\/currency, and 19 more/);
  });
});
