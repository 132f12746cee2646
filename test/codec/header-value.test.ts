import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeHeaderValue, encodeHeaderValue } from "../../src/codec/header-value.js";

describe("header value percent-encoding", () => {
  it("encodes the spec's example exactly", () => {
    expect(encodeHeaderValue("Euro € 😀")).toBe("Euro%20%E2%82%AC%20%F0%9F%98%80");
  });

  it("encodes space, double quote and percent, and leaves other printable ASCII alone", () => {
    expect(encodeHeaderValue(' "%')).toBe("%20%22%25");
    expect(encodeHeaderValue("a-Z_0~!#$&'()*+,/:;<=>?@[\\]^`{|}")).toBe("a-Z_0~!#$&'()*+,/:;<=>?@[\\]^`{|}");
  });

  it("round-trips any well-formed string", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (value) => {
        const encoded = encodeHeaderValue(value);
        expect(encoded).toMatch(/^[\x21-\x7e]*$/);
        expect(decodeHeaderValue(encoded)).toEqual({ ok: true, value });
      }),
    );
  });

  it("decodes exactly once", () => {
    expect(decodeHeaderValue("%2541")).toEqual({ ok: true, value: "%41" });
  });

  it("accepts raw UTF-8 bytes as Latin-1 header characters", () => {
    const raw = String.fromCharCode(...new TextEncoder().encode("€"));
    expect(decodeHeaderValue(raw)).toEqual({ ok: true, value: "€" });
  });

  it("rejects invalid UTF-8 and malformed escapes", () => {
    expect(decodeHeaderValue("%C0%A0")).toEqual({ ok: false, code: "invalid-utf8" });
    expect(decodeHeaderValue("%E2%82")).toEqual({ ok: false, code: "invalid-utf8" });
    expect(decodeHeaderValue("%")).toEqual({ ok: false, code: "invalid-percent-encoding" });
    expect(decodeHeaderValue('"a"b"')).toEqual({ ok: false, code: "invalid-quoted-string" });
  });
});
