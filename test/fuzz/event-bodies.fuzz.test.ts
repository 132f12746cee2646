/**
 * Structured and batched bodies: valid events, events with one attribute
 * mutated, arbitrary JSON, arbitrary bytes, byte order marks, deep nesting,
 * huge numbers and duplicate keys. A 202 delivers each event of the body
 * exactly once; a refusal delivers nothing and is a problem+json 4xx.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BATCH, STRUCTURED, testGateway } from "../support/gateway.js";
import { countCase, FUZZ_TIMEOUT_MS, fuzzParameters } from "./fuzz-budget.js";
import { answerOf, expectSound, failOnUnhandledRejections } from "./soundness.js";

failOnUnhandledRejections();

const encoder = new TextEncoder();
const BOM = [0xef, 0xbb, 0xbf];

const validEvent = (id: string) =>
  fc.record(
    {
      specversion: fc.constant("1.0"),
      id: fc.constant(id),
      source: fc.constantFrom("/s", "https://example.com/a?b=c", "urn:x:y", "a/b"),
      type: fc.string({ minLength: 1, maxLength: 20 }),
      subject: fc.string({ minLength: 1, maxLength: 20 }),
      time: fc
        .date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true })
        .map((d) => d.toISOString()),
      data: fc.jsonValue({ maxDepth: 3 }),
      comexamplefoo: fc.oneof(
        fc.string({ maxLength: 10 }),
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        fc.boolean(),
      ),
    },
    { requiredKeys: ["specversion", "id", "source", "type"] },
  );

const ATTRIBUTES = [
  "specversion",
  "id",
  "source",
  "type",
  "subject",
  "time",
  "dataschema",
  "datacontenttype",
  "data",
  "data_base64",
  "Bad-Name",
  "x".repeat(30),
];

/** An event with one member set to an arbitrary JSON value, or removed. */
const mutatedEvent = fc
  .tuple(validEvent("m"), fc.constantFrom(...ATTRIBUTES), fc.option(fc.jsonValue({ maxDepth: 2 })))
  .map(([event, name, value]) => {
    const copy: Record<string, unknown> = { ...event };
    if (value === null) delete copy[name];
    else copy[name] = value;
    return JSON.stringify(copy);
  });

const deepNesting = fc
  .tuple(fc.integer({ min: 1, max: 5000 }), fc.constantFrom("[", '{"a":'), fc.boolean())
  .map(([depth, open, closed]) => {
    const close = open === "[" ? "]" : "}";
    return `{"specversion":"1.0","id":"d","source":"/s","type":"t","data":${open.repeat(depth)}1${closed ? close.repeat(depth) : ""}}`;
  });

const hugeNumbers = fc
  .constantFrom(
    "1e400",
    "-1e400",
    "123456789012345678901234567890",
    "0.0000000000000000000000000001e-400",
    "1E+999999999",
    "-0",
    "2147483648",
    "9007199254740993",
  )
  .map((n) => `{"specversion":"1.0","id":"n","source":"/s","type":"t","comexamplenum":${n},"data":${n}}`);

const duplicateKeys = fc
  .tuple(
    fc.constantFrom("id", "specversion", "source", "type", "data", "data_base64", "datacontenttype", "ext"),
    fc.jsonValue({ maxDepth: 1 }),
  )
  .map(
    ([key, value]) =>
      `{"specversion":"1.0","id":"k","source":"/s","type":"t","${key}":${JSON.stringify(value)},"${key}":${JSON.stringify(value)}}`,
  );

const text = fc.oneof(
  mutatedEvent,
  fc.jsonValue().map((v) => JSON.stringify(v)),
  deepNesting,
  hugeNumbers,
  duplicateKeys,
  fc.string({ unit: "binary", maxLength: 80 }),
);

const bytes = fc.oneof(
  text.map((t) => encoder.encode(t)),
  fc.uint8Array({ maxLength: 120 }),
  fc
    .tuple(fc.integer({ min: 1, max: 3 }), text)
    .map(([n, t]) => new Uint8Array([...Array.from({ length: n }, () => BOM).flat(), ...encoder.encode(t)])),
);

const asBatch = fc.array(text, { maxLength: 4 }).map((items) => encoder.encode(`[${items.join(",")}]`));

describe("structured and batched bodies, fuzzed", () => {
  it(
    "answers any structured body soundly and delivers one event on 202",
    async () => {
      const gw = testGateway();
      await fc.assert(
        fc.asyncProperty(
          bytes,
          fc.constantFrom(
            STRUCTURED["content-type"],
            "application/cloudevents+json; charset=utf-8",
            "APPLICATION/CLOUDEVENTS+JSON",
          ),
          async (body, type) => {
            countCase();
            gw.memory.clear();
            const answer = await answerOf(await gw.post({ headers: { "content-type": type }, body }));
            expectSound(answer, new TextDecoder().decode(body));
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
    "answers any batch body soundly and never delivers an event twice",
    async () => {
      const gw = testGateway();
      await fc.assert(
        fc.asyncProperty(fc.oneof(bytes, asBatch), async (body) => {
          countCase();
          gw.memory.clear();
          const answer = await answerOf(await gw.post({ headers: BATCH, body }));
          expectSound(answer, new TextDecoder().decode(body));
          if (answer.status >= 400) expect(gw.received()).toHaveLength(0);
        }),
        fuzzParameters(),
      );
      await gw.gateway.close();
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    "delivers every valid event of a structured or batched body exactly once",
    async () => {
      const gw = testGateway();
      let serial = 0;
      const events = fc.array(
        fc.constant(null).chain(() => validEvent(`ev-${++serial}`)),
        { minLength: 1, maxLength: 5 },
      );
      await fc.assert(
        fc.asyncProperty(events, fc.boolean(), fc.boolean(), async (list, batched, bom) => {
          countCase();
          gw.memory.clear();
          const ids = list.map((event) => `${event.id}-${++serial}`);
          const withIds = list.map((event, i) => ({ ...event, id: ids[i] }));
          const json = batched ? JSON.stringify(withIds) : JSON.stringify(withIds[0]);
          const body = new Uint8Array([...(bom ? BOM : []), ...encoder.encode(json)]);
          const answer = await answerOf(await gw.post({ headers: batched ? BATCH : STRUCTURED, body }));
          expectSound(answer, json);
          expect(answer.status, answer.text).toBe(202);
          const expected = batched ? ids : ids.slice(0, 1);
          expect(gw.received().map((event) => event.attributes.id)).toEqual(expected);
        }),
        fuzzParameters(),
      );
      await gw.gateway.close();
    },
    FUZZ_TIMEOUT_MS,
  );
});
