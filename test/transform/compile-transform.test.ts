/**
 * What a transform may read from the event, decided when the config loads:
 * a path that steps into anything but `data` can never find a value, and an
 * unquoted constant is the usual cause.
 */
import { describe, expect, it } from "vitest";
import { compileTransform, TransformCompileError } from "../../src/transform/compile-transform.js";

const problemsOf = (attributes: Record<string, string>, data?: string) => {
  try {
    compileTransform({ attributes, ...(data === undefined ? {} : { data }) }, "r");
    return [];
  } catch (error) {
    if (!(error instanceof TransformCompileError)) throw error;
    return error.problems.map((p) => [p.path.join("."), p.message]);
  }
};

describe("the paths a transform reads", () => {
  it.each([
    "data.customer.id",
    "region",
    "data_base64",
    "data",
    "type & '.v2'",
    "type.$uppercase($)",
    "$$.data.x",
    "data.items[price > 5].id",
    "$exists(partitionkey) ? partitionkey : subject",
    "'com.example.order'",
  ])("accepts %s", (text) => {
    expect(problemsOf({ subject: text })).toEqual([]);
  });

  it.each([
    ["com.example.order", '"com"', "(a constant is quoted: \"'com.example.order'\")"],
    ["subject.id", '"subject"', ""],
    ["orderId", '"orderId"', ""],
    ["$string(payload.total)", '"payload"', ""],
    ["*.id", '"*"', ""],
  ])("refuses %s, naming the route, the attribute and the position", (text, named, hint) => {
    const [[path, message] = []] = problemsOf({ subject: text });
    expect(path).toBe("attributes.subject");
    expect(message).toMatch(/^route "r", attribute "subject", at position \d+: /);
    expect(message).toContain(`${named} is not a path into the event`);
    expect(message).toContain(hint);
  });

  it("refuses attribute names that cannot be set, and reports every problem of the transform", () => {
    expect(
      problemsOf({ specversion: "'1.0'", data: "'x'", Bad: "'x'", id: "data.(" }, "{ 'a': b.c }"),
    ).toEqual([
      [
        "attributes.specversion",
        'route "r": specversion cannot be set: the gateway sends CloudEvents 1.0 only',
      ],
      ["attributes.data", 'route "r": "data" is not an attribute: transform.data sets the data'],
      ["attributes.Bad", 'route "r": "Bad" is not a valid attribute name (a-z, 0-9)'],
      ["attributes.id", expect.stringMatching(/^route "r", attribute "id", at position 6: /)],
      ["data", expect.stringMatching(/^route "r", data, at position \d+: "b" is not a path into the event/)],
    ]);
  });

  it("gives transforms written alike one key, whatever the order of their attributes", () => {
    const one = compileTransform({ attributes: { type: "'t'", subject: "id" } }, "one");
    const two = compileTransform({ attributes: { subject: "id", type: "'t'" } }, "two");
    const other = compileTransform({ attributes: { subject: "id", type: "'t'" }, data: "data" }, "other");
    expect(one?.key).toBe(two?.key);
    expect(other?.key).not.toBe(one?.key);
  });

  it("treats a transform that changes nothing as none", () => {
    expect(compileTransform({}, "empty")).toBeUndefined();
    expect(compileTransform({ attributes: {} }, "empty")).toBeUndefined();
  });
});
