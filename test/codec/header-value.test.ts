import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeHeaderValue, encodeHeaderValue, rawHeaderViolation } from "../../src/codec/header-value.js";

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

  it("rejects invalid UTF-8 and malformed quoted-strings", () => {
    expect(decodeHeaderValue("%C0%A0")).toEqual({ ok: false, code: "invalid-utf8" });
    expect(decodeHeaderValue("%E2%82")).toEqual({ ok: false, code: "invalid-utf8" });
    expect(decodeHeaderValue("50%25%FF")).toEqual({ ok: false, code: "invalid-utf8" });
    expect(decodeHeaderValue('"a"b"')).toEqual({ ok: false, code: "invalid-quoted-string" });
  });

  it("keeps a % that starts no %XX escape, as senders that do not encode write it", () => {
    expect(decodeHeaderValue("100%")).toEqual({ ok: true, value: "100%" });
    expect(decodeHeaderValue("%")).toEqual({ ok: true, value: "%" });
    expect(decodeHeaderValue("%G1 and %4")).toEqual({ ok: true, value: "%G1 and %4" });
    expect(decodeHeaderValue("50%%41")).toEqual({ ok: true, value: "50%A" });
    expect(decodeHeaderValue("100% sure, %E2%82%AC")).toEqual({ ok: true, value: "100% sure, €" });
  });

  it("keeps raw UTF-8 beside a literal %", () => {
    const raw = String.fromCharCode(...new TextEncoder().encode("Euro € 100%"));
    expect(decodeHeaderValue(raw)).toEqual({ ok: true, value: "Euro € 100%" });
  });
});

describe("raw header values", () => {
  it("refuses control characters, naming the first", () => {
    expect(rawHeaderViolation("a\r\nInjected: yes")).toMatch(/U\+000D/);
    expect(rawHeaderViolation("tab\there")).toMatch(/U\+0009/);
    expect(rawHeaderViolation("nul\u0000")).toMatch(/U\+0000/);
    expect(rawHeaderViolation("del\u007f")).toMatch(/U\+007F/);
  });

  it("lets any other text through, non-ASCII and % included", () => {
    expect(rawHeaderViolation('Euro € 😀 "quoted" 100%')).toBeUndefined();
  });
});
