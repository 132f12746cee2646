/**
 * Strings beyond the TCK: Unicode (functions count characters, not UTF-16
 * units), TRIM's Unicode whitespace, and LIKE: escapes, characters that
 * would be special in a regular expression, whole-value matching, and a
 * differential check against a reference matcher.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cleanValue, run, testEvent } from "./cesql-helpers.js";

describe("Unicode in string functions", () => {
  const event = testEvent({ s: "a😀é\u0301z", cjk: "日本語テキスト" });

  it("counts characters (code points) in LENGTH", () => {
    expect(cleanValue("LENGTH('😀')")).toBe(1);
    expect(cleanValue("LENGTH(s)", event)).toBe(5); // a, 😀, é, U+0301 (combining), z
    expect(cleanValue("LENGTH(cjk)", event)).toBe(7);
    expect(cleanValue('LENGTH("👩‍👩‍👧")')).toBe(5); // three people and two zero-width joiners
  });

  it("cuts whole characters in LEFT, RIGHT and SUBSTRING", () => {
    expect(cleanValue("LEFT(s, 2)", event)).toBe("a😀");
    expect(cleanValue("RIGHT(s, 4)", event)).toBe("😀é\u0301z");
    expect(cleanValue("SUBSTRING(s, 2, 1)", event)).toBe("😀");
    expect(cleanValue("SUBSTRING(s, -2)", event)).toBe("\u0301z");
    expect(cleanValue("SUBSTRING(cjk, 4)", event)).toBe("テキスト");
    expect(run("SUBSTRING('😀😀', 3)")).toEqual({ value: "", errors: ["functionEvaluation"] });
    expect(cleanValue("SUBSTRING('😀😀', -2, 5)")).toBe("😀😀");
  });

  it("maps case with the Unicode rules, whatever the locale", () => {
    expect(cleanValue("UPPER('straße')")).toBe("STRASSE");
    expect(cleanValue("LOWER('ÀÉÎ')")).toBe("àéî");
    expect(cleanValue("UPPER('istanbul')")).toBe("ISTANBUL");
  });

  it("trims Unicode whitespace only", () => {
    expect(cleanValue("TRIM('\u3000\u00a0\u0085\t\n x y \u2028\u205f')")).toBe("x y");
    // U+FEFF and control characters are not whitespace (JS trim() would remove U+FEFF).
    expect(cleanValue("TRIM('\ufeff x \u0000')")).toBe("\ufeff x \u0000");
    expect(cleanValue("TRIM('   ')")).toBe("");
  });

  it("joins with CONCAT and CONCAT_WS, casting arguments to String", () => {
    expect(cleanValue("CONCAT('😀', 1, TRUE)")).toBe("😀1true");
    expect(cleanValue("CONCAT_WS('·', 'a', 2, FALSE)")).toBe("a·2·false");
    expect(cleanValue("CONCAT_WS(0, 1, 2)")).toBe("102");
  });

  it("compares strings exactly (case and normalization sensitive)", () => {
    expect(cleanValue("'é' = 'e\u0301'")).toBe(false);
    expect(cleanValue("'Abc' = 'abc'")).toBe(false);
    expect(cleanValue("'日本' IN ('中国', '日本')")).toBe(true);
  });
});

describe("LIKE", () => {
  it("matches the whole value", () => {
    expect(cleanValue("'abc' LIKE 'b'")).toBe(false);
    expect(cleanValue("'abc' LIKE 'ab'")).toBe(false);
    expect(cleanValue("'abc' LIKE '%b%'")).toBe(true);
    expect(cleanValue("'' LIKE '%'")).toBe(true);
    expect(cleanValue("'' LIKE '_'")).toBe(false);
  });

  it("lets _ and % match any character, line breaks and astral ones included", () => {
    expect(cleanValue("'😀' LIKE '_'")).toBe(true);
    expect(cleanValue("'😀' LIKE '__'")).toBe(false);
    expect(cleanValue("'a\nb' LIKE 'a_b'")).toBe(true);
    expect(cleanValue("'a\r\n\u2028b' LIKE 'a%b'")).toBe(true);
    expect(cleanValue("'日本語' LIKE '日_語'")).toBe(true);
  });

  it("is case sensitive", () => {
    expect(cleanValue("'ABC' LIKE 'abc'")).toBe(false);
    expect(cleanValue("'ABC' LIKE 'A%'")).toBe(true);
  });

  it("treats \\% and \\_ as literal % and _", () => {
    expect(cleanValue("'100%' LIKE '100\\%'")).toBe(true);
    expect(cleanValue("'1000' LIKE '100\\%'")).toBe(false);
    expect(cleanValue("'a_b' LIKE 'a\\_b'")).toBe(true);
    expect(cleanValue("'axb' LIKE 'a\\_b'")).toBe(false);
    expect(cleanValue("'50% off' LIKE '%\\%%'")).toBe(true);
  });

  it("treats every other backslash as an ordinary character, as the spec and sdk-go do", () => {
    expect(cleanValue("'a\\b' LIKE 'a\\b'")).toBe(true);
    expect(cleanValue("'a\\\\b' LIKE 'a\\\\b'")).toBe(true);
    expect(cleanValue("v LIKE 'C:\\\\%'", testEvent({ v: "C:\\%" }))).toBe(true); // \\ then \%: a literal %
    expect(cleanValue("v LIKE 'C:\\\\%'", testEvent({ v: "C:\\x" }))).toBe(false);
    expect(cleanValue("'ab' LIKE 'a\\b'")).toBe(false);
    expect(cleanValue("v LIKE 'C:\\Users%'", testEvent({ v: "C:\\Users\\me" }))).toBe(true);
    expect(cleanValue("v LIKE 'a_'", testEvent({ v: "a\\" }))).toBe(true);
  });

  it.each([
    [".", "a"],
    ["a.c", "abc"],
    ["a*", "aaa"],
    ["a+", "aa"],
    ["a?", ""],
    ["(a)", "a"],
    ["[ab]", "a"],
    ["[^x]", "a"],
    ["^a$", "a"],
    ["a|b", "a"],
    ["a{2}", "aa"],
    ["\\d", "1"],
    ["$&", "x"],
    ["(?:)", ""],
  ])("gives no meaning to the regex syntax in %j", (pattern, other) => {
    const literal = pattern.replaceAll("'", "\\'");
    expect(cleanValue(`'${literal}' LIKE '${literal}'`)).toBe(true);
    expect(cleanValue(`'${other}' LIKE '${literal}'`)).toBe(false);
  });

  it("matches a pathological pattern in linear-ish time", () => {
    const event = testEvent({ long: "a".repeat(20000) });
    const started = performance.now();
    expect(cleanValue(`long LIKE '${"%a".repeat(50)}%b'`, event)).toBe(false);
    expect(cleanValue(`long LIKE '${"%a".repeat(50)}%'`, event)).toBe(true);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("casts Integer and Boolean operands to String", () => {
    expect(cleanValue("-12 LIKE '-1_'")).toBe(true);
    expect(cleanValue("FALSE NOT LIKE 'f%'")).toBe(false);
  });

  it("agrees with a reference matcher on random values and patterns", () => {
    const alphabet = fc.constantFrom("a", "b", "%", "_", "\\", "😀", ".", "*");
    const text = fc.array(alphabet, { maxLength: 12 }).map((chars) => chars.join(""));
    fc.assert(
      fc.property(text, text, (value, pattern) => {
        const expression = `v LIKE '${pattern.replaceAll("'", "\\'")}'`;
        // A pattern ending in a lone backslash would escape the closing quote.
        fc.pre(!/(^|[^\\])(\\\\)*\\$/.test(pattern));
        expect(cleanValue(expression, testEvent({ v: value }))).toBe(referenceLike(value, pattern));
      }),
      { numRuns: 1000 },
    );
  });
});

/** A straightforward recursive LIKE over code points, for the differential test. */
function referenceLike(value: string, pattern: string): boolean {
  const v = Array.from(value);
  const p: ({ any: "one" | "run" } | string)[] = [];
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    if (c === "\\" && (chars[i + 1] === "%" || chars[i + 1] === "_")) p.push(chars[++i] as string);
    else if (c === "%") p.push({ any: "run" });
    else if (c === "_") p.push({ any: "one" });
    else p.push(c);
  }
  const memo = new Map<string, boolean>();
  const match = (i: number, j: number): boolean => {
    const key = `${i},${j}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    const item = p[j];
    if (item === undefined) result = i === v.length;
    else if (typeof item === "object" && item.any === "run")
      result = match(i, j + 1) || (i < v.length && match(i + 1, j));
    else if (i >= v.length) result = false;
    else result = (typeof item === "object" || item === v[i]) && match(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return match(0, 0);
}
