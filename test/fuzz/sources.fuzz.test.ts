/**
 * Every source kind under arbitrary bodies and headers, with signatures right
 * and wrong. A refusal delivers nothing and is a problem+json 4xx; a wrong
 * signature is a 401; a correctly signed event with a fresh id is delivered
 * exactly once.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { testGateway } from "../support/gateway.js";
import { countCase, FUZZ_TIMEOUT_MS, fuzzParameters } from "./fuzz-budget.js";
import { expectSound, failOnUnhandledRejections } from "./soundness.js";
import {
  anyBody,
  BOM,
  CONFIG,
  encoder,
  freshId,
  headerNoise,
  KINDS,
  SIGNED,
  send,
  signedHeaders,
  validBody,
} from "./source-fixtures.js";

failOnUnhandledRejections();

describe("sources, fuzzed: bodies, headers and signatures", () => {
  it(
    "answers any body and headers on any source soundly, delivering nothing when it refuses",
    async () => {
      const gw = testGateway(CONFIG);
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...KINDS),
          anyBody,
          fc.boolean(),
          headerNoise,
          async (kind, body, signRight, noise) => {
            countCase();
            gw.memory.clear();
            const headers = { ...(signRight ? signedHeaders(kind, body, freshId()) : {}), ...noise };
            const answer = await send(gw, kind, headers, body);
            expectSound(answer, { kind, body: new TextDecoder().decode(body), headers });
            if (answer.status !== 202) expect(gw.received()).toHaveLength(0);
          },
        ),
        fuzzParameters(),
      );
      await gw.gateway.close();
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    "answers a correctly signed body of any bytes soundly",
    async () => {
      const gw = testGateway(CONFIG);
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...KINDS), anyBody, async (kind, body) => {
          countCase();
          gw.memory.clear();
          const answer = await send(gw, kind, signedHeaders(kind, body, freshId()), body);
          expectSound(answer, { kind, body: new TextDecoder().decode(body) });
          expect(answer.status).not.toBe(401);
          if (answer.status !== 202) expect(gw.received()).toHaveLength(0);
        }),
        fuzzParameters(),
      );
      await gw.gateway.close();
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    "refuses a wrong signature with 401 and delivers nothing",
    async () => {
      const gw = testGateway(CONFIG);
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...KINDS.filter((k) => SIGNED.has(k))),
          fc.jsonValue({ maxDepth: 2 }),
          fc.string({ minLength: 1, maxLength: 30 }),
          async (kind, extra, wrong) => {
            countCase();
            gw.memory.clear();
            const id = freshId();
            const body = encoder.encode(validBody(kind, id, extra));
            const answer = await send(gw, kind, signedHeaders(kind, body, id, `wrong-${wrong}`), body);
            expect(expectSound(answer, { kind, wrong }), answer.text).toBe("source-unauthenticated");
            expect(answer.status).toBe(401);
            expect(gw.received()).toHaveLength(0);
          },
        ),
        fuzzParameters(0.5),
      );
      await gw.gateway.close();
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    "delivers a correctly signed event with a fresh id exactly once",
    async () => {
      const gw = testGateway(CONFIG);
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...KINDS),
          fc.jsonValue({ maxDepth: 3 }),
          fc.integer({ min: 0, max: 2 }),
          async (kind, extra, boms) => {
            countCase();
            gw.memory.clear();
            const id = freshId();
            const body = new Uint8Array([
              ...(boms > 0 ? BOM : []),
              ...encoder.encode(validBody(kind, id, extra)),
            ]);
            const answer = await send(gw, kind, signedHeaders(kind, body, id), body);
            expectSound(answer, { kind, extra });
            expect(answer.status, answer.text).toBe(202);
            const delivered = gw.received();
            expect(delivered).toHaveLength(1);
            if (kind !== "billing") expect(delivered[0]?.attributes.id).toBe(id);
          },
        ),
        fuzzParameters(0.5),
      );
      await gw.gateway.close();
    },
    FUZZ_TIMEOUT_MS,
  );
});
