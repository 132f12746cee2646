/**
 * HTTP binary mode under arbitrary headers: any header names and values,
 * ce-* attributes with percent-encodings (valid and invalid UTF-8 escapes),
 * content types with parameters and odd casing. A 202 delivers exactly one
 * event; anything else delivers none and is a problem+json 4xx.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { binaryHeaders, testGateway } from "../support/gateway.js";
import { countCase, FUZZ_TIMEOUT_MS, fuzzParameters } from "./fuzz-budget.js";
import { answerOf, expectSound, failOnUnhandledRejections } from "./soundness.js";

failOnUnhandledRejections();

const TOKEN_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~";
const headerName = fc.oneof(
  fc.string({ unit: fc.constantFrom(...TOKEN_CHARS), minLength: 1, maxLength: 30 }),
  fc.string({ unit: fc.constantFrom(...TOKEN_CHARS), minLength: 1, maxLength: 22 }).map((s) => `ce-${s}`),
  fc.constantFrom(
    "ce-id",
    "ce-source",
    "ce-type",
    "ce-specversion",
    "ce-time",
    "ce-dataschema",
    "ce-subject",
    "CE-ID",
    "Ce-Type",
  ),
);

/** Bytes a header value may hold (no NUL, CR or LF). */
const headerChar = fc
  .oneof(
    fc.integer({ min: 0x20, max: 0x7e }),
    fc.integer({ min: 0x09, max: 0x09 }),
    fc.integer({ min: 0x80, max: 0xff }),
  )
  .map((code) => String.fromCharCode(code));

const percentEscape = fc.oneof(
  fc.integer({ min: 0, max: 255 }).map((b) => `%${b.toString(16).padStart(2, "0")}`),
  fc.constantFrom(
    "%C3%A9",
    "%E2%82%AC",
    "%F0%9F%98%80",
    "%C3%28",
    "%E2%82",
    "%FF",
    "%ED%A0%80",
    "%C0%AF",
    "%",
    "%Z9",
    "%2",
    "%%",
  ),
);

const headerValue = fc.oneof(
  fc.string({ unit: headerChar, maxLength: 60 }),
  fc
    .array(fc.oneof(percentEscape, fc.string({ unit: headerChar, maxLength: 4 })), { maxLength: 12 })
    .map((parts) => parts.join("")),
  fc
    .string({ unit: "binary", maxLength: 20 })
    .map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, "x"))),
);

const contentType = fc.oneof(
  fc.constantFrom(
    "application/json",
    "APPLICATION/JSON; charset=UTF-8",
    'text/plain;charset="utf-8"',
    "application/octet-stream",
    "application/xml; q=0.5; charset=latin1",
    "application/cloudevents+json",
    "Application/CloudEvents+JSON; Charset=utf-8",
    "application/cloudevents-batch+json; x=y",
    "application/cloudevents+xml",
    "multipart/form-data; boundary=x",
    ";;;",
    "",
  ),
  fc.string({ unit: headerChar, maxLength: 40 }),
);

function headersOf(entries: [string, string][]): Headers | undefined {
  try {
    const headers = new Headers();
    for (const [name, value] of entries) headers.append(name, value);
    return headers;
  } catch {
    return undefined; // Not a header any client can send.
  }
}

describe("binary mode, fuzzed", () => {
  it(
    "answers any headers with 202 and one delivered event, or a problem+json 4xx and none",
    async () => {
      const gw = testGateway();
      await fc.assert(
        fc.asyncProperty(
          fc.boolean(),
          fc.array(fc.tuple(headerName, headerValue), { maxLength: 8 }),
          fc.option(contentType),
          fc.uint8Array({ maxLength: 64 }),
          async (startValid, extra, type, body) => {
            countCase();
            const base: [string, string][] = startValid
              ? Object.entries(binaryHeaders({ "ce-id": "x" }))
              : [];
            const entries = [
              ...base,
              ...extra,
              ...(type === null ? [] : ([["content-type", type]] as [string, string][])),
            ];
            const headers = headersOf(entries);
            fc.pre(headers !== undefined);
            gw.memory.clear();
            const answer = await answerOf(
              await gw.gateway.request("/events", { method: "POST", headers, body }),
            );
            expectSound(answer, entries);
            expect(gw.received().length, answer.text).toBe(answer.status === 202 ? 1 : 0);
          },
        ),
        fuzzParameters(),
      );
      await gw.gateway.close();
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    "delivers every valid binary event exactly once, attributes and data intact",
    async () => {
      const gw = testGateway();
      let serial = 0;
      const extensionName = fc
        .stringMatching(/^[a-z0-9]{1,20}$/)
        .filter(
          (n) =>
            ![
              "id",
              "source",
              "type",
              "specversion",
              "time",
              "subject",
              "dataschema",
              "datacontenttype",
              "data",
              "data_base64",
            ].includes(n),
        );
      await fc.assert(
        fc.asyncProperty(
          fc.string({ unit: "grapheme", minLength: 1, maxLength: 20 }),
          fc.dictionary(
            extensionName,
            fc.string({
              unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
              minLength: 1,
              maxLength: 30,
            }),
            { maxKeys: 4 },
          ),
          fc.uint8Array({ maxLength: 128 }),
          async (subject, extensions, data) => {
            countCase();
            const id = `bin-${++serial}`;
            const headers: Record<string, string> = {
              ...binaryHeaders({ "ce-id": id, "ce-subject": encodeURIComponent(subject) }),
              "content-type": "application/octet-stream",
            };
            for (const [name, value] of Object.entries(extensions))
              headers[`ce-${name}`] = encodeURIComponent(value);
            const answer = await answerOf(await gw.post({ headers, body: data }));
            expect(answer.status, answer.text).toBe(202);
            const matching = gw.received().filter((event) => event.attributes.id === id);
            expect(matching).toHaveLength(1);
            expect(matching[0]?.attributes.subject).toBe(subject);
            for (const [name, value] of Object.entries(extensions)) {
              expect(String(matching[0]?.extensions.get(name))).toBe(value);
            }
          },
        ),
        fuzzParameters(),
      );
      await gw.gateway.close();
    },
    FUZZ_TIMEOUT_MS,
  );
});
