import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JsonSyntaxError, scanJsonDocument, stripJsonWhitespace } from "../../src/codec/json-scan.js";

const bytes = (text: string) => new TextEncoder().encode(text);

function scanAccepts(text: string): boolean {
  try {
    scanJsonDocument(bytes(text));
    return true;
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    return false;
  }
}

function parseAccepts(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe("the JSON scanner", () => {
  it("accepts exactly what JSON.parse accepts for generated JSON and mutations of it", () => {
    const mutated = fc
      .tuple(
        fc.json(),
        fc.nat(),
        fc.constantFrom("", "{", "}", ",", '"', "\\", "1", ".", "e", " ", "]", "\u0001"),
      )
      .map(
        ([json, at, insert]) =>
          json.slice(0, at % (json.length + 1)) + insert + json.slice(at % (json.length + 1)),
      );
    fc.assert(
      fc.property(fc.oneof(fc.json(), mutated), (text) => scanAccepts(text) === parseAccepts(text)),
      {
        numRuns: 2000,
      },
    );
  });

  it.each(["01", "1.", ".5", "-", "+1", "1e", "tru", "nul", '"\\x"', '"\\u12"', "[1,]", '{"a"}', "{,}"])(
    "rejects %s",
    (text) => expect(scanAccepts(text)).toBe(false),
  );

  it("returns the span of the value inside surrounding whitespace", () => {
    expect(scanJsonDocument(bytes('  {"a": 1.0}\n'))).toEqual({ start: 2, end: 12, kind: "object" });
  });

  it("removes only whitespace outside strings", () => {
    const input = '{ "a b" : [ 1.0 ,\n 2 ], "c\\" d": "e\\n f" }';
    const out = new TextDecoder().decode(stripJsonWhitespace(bytes(input)));
    expect(out).toBe('{"a b":[1.0,2],"c\\" d":"e\\n f"}');
    expect(JSON.parse(out)).toEqual(JSON.parse(input));
  });
});
