/**
 * Extension names are chosen by producers: every valid one must be accepted
 * and forwarded unchanged, including names that an object literal would
 * answer from Object.prototype (`constructor`).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeHeaderValue } from "../../src/codec/header-value.js";
import { CORE_ATTRIBUTE_NAMES } from "../../src/event/cloud-event.js";
import { toJsonFormat } from "../../src/event/json-format.js";
import { stringViolation } from "../../src/normalize/attribute-rules.js";
import { binaryHeaders, problemOf, STRUCTURED, structuredEvent, testGateway } from "../support/gateway.js";

const RESERVED = new Set<string>([...CORE_ATTRIBUTE_NAMES, "data"]);

/** Lower-case names that Object.prototype (or a naive lookup) answers to. */
const PROTOTYPE_LIKE = [
  "constructor",
  "proto",
  "prototype",
  "tostring",
  "valueof",
  "hasownproperty",
  "length",
];

const extensionName = fc.oneof(
  fc.constantFrom(...PROTOTYPE_LIKE),
  fc.stringMatching(/^[a-z0-9]{1,20}$/).filter((name) => !RESERVED.has(name)),
);

/** A CloudEvents String: no control characters, noncharacters or lone surrogates. */
const attributeString = fc
  .string({ unit: "grapheme", maxLength: 40 })
  .filter((s) => stringViolation(s) === undefined);

describe("extension attribute names", () => {
  it("accepts `constructor` in structured and binary mode and forwards it", async () => {
    const gw = testGateway();
    const structured = await gw.post({
      headers: STRUCTURED,
      body: JSON.stringify(structuredEvent({ constructor: "x" })),
    });
    expect(structured.status).toBe(202);
    const binary = await gw.post({ headers: binaryHeaders({ "ce-constructor": "y" }) });
    expect(binary.status).toBe(202);
    expect(gw.received().map((e) => e.extensions.get("constructor"))).toEqual(["x", "y"]);
  });

  it("accepts every valid extension name with a String value, forwarded unchanged in both modes", async () => {
    await fc.assert(
      fc.asyncProperty(extensionName, attributeString, async (name, value) => {
        const gw = testGateway();
        const structured = await gw.post({
          headers: STRUCTURED,
          body: JSON.stringify(structuredEvent({ [name]: value })),
        });
        expect(structured.status).toBe(202);
        const binary = await gw.post({
          headers: binaryHeaders({ [`ce-${name}`]: encodeHeaderValue(value) }),
        });
        expect(binary.status).toBe(202);
        for (const event of gw.received()) {
          expect([...event.extensions]).toEqual([[name, value]]);
          const reencoded = JSON.parse(new TextDecoder().decode(toJsonFormat(event))) as Record<
            string,
            unknown
          >;
          expect(Object.hasOwn(reencoded, name) && reencoded[name]).toBe(value);
        }
      }),
      { numRuns: 300 },
    );
  });

  it.each(["__proto__", "toString", "hasOwnProperty", "valueOf"])(
    "refuses the invalid name %s with 400 naming it, never a crash",
    async (name) => {
      const gw = testGateway();
      // Built as text: an object literal would not keep `__proto__` as a member.
      const body = `{"specversion":"1.0","id":"1","source":"/s","type":"t","${name}":"x"}`;
      const response = await gw.post({ headers: STRUCTURED, body });
      expect(response.status).toBe(400);
      const problem = await problemOf(response);
      expect(problem.errors).toContainEqual(
        expect.objectContaining({ pointer: `/${name}`, code: "invalid-attribute-name" }),
      );
      expect(gw.received()).toEqual([]);
    },
  );

  it("looks up per-type schema modes by own property only", async () => {
    // A type named like a prototype member must fall back to the global mode, not crash or match.
    const gw = testGateway({ schemas: { mode: "off", types: {} } });
    for (const type of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
      const response = await gw.post({ headers: binaryHeaders({ "ce-type": type }) });
      expect(response.status).toBe(202);
    }
  });
});
