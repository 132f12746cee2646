/**
 * The sources' mappings under real payloads made hostile: GitHub's own
 * examples and every mapped source's valid body with one member replaced,
 * and any query string or path suffix. Every answer is sound; an example
 * left unchanged is delivered exactly once.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { testGateway } from "../support/gateway.js";
import { countCase, FUZZ_TIMEOUT_MS, fuzzParameters } from "./fuzz-budget.js";
import { GITHUB_EXAMPLES, HOSTILE_MEMBER, pathsOf, withMember } from "./hostile-payloads.js";
import { answerOf, expectSound, failOnUnhandledRejections } from "./soundness.js";
import {
  CONFIG,
  encoder,
  freshId,
  KINDS,
  type Kind,
  send,
  signedHeaders,
  validBody,
} from "./source-fixtures.js";

failOnUnhandledRejections();

describe("sources, fuzzed: hostile payloads, queries and paths", () => {
  it(
    "answers GitHub's example payloads, and each with one member replaced, soundly; an example unchanged is delivered once",
    async () => {
      const gw = testGateway(CONFIG);
      const mutation = fc.option(fc.tuple(fc.nat(), HOSTILE_MEMBER), { freq: 4 });
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...GITHUB_EXAMPLES),
          mutation,
          async ({ event, payload }, change) => {
            countCase();
            gw.memory.clear();
            const paths = pathsOf(payload);
            const path = change === null || paths.length === 0 ? undefined : paths[change[0] % paths.length];
            const text =
              path === undefined
                ? JSON.stringify(payload)
                : withMember(payload, path, (change as [number, string])[1]);
            const body = encoder.encode(text);
            const headers = { ...signedHeaders("github", body, freshId()), "x-github-event": event };
            const answer = await send(gw, "github", headers, body);
            expectSound(answer, { event, path, text: text.slice(0, 200) });
            expect(answer.status, answer.text).not.toBe(401);
            // A ping is answered with a pong, not made an event.
            if (path === undefined)
              expect(answer.status, `${event}: ${answer.text}`).toBe(event === "ping" ? 200 : 202);
            expect(gw.received()).toHaveLength(answer.status === 202 ? 1 : 0);
          },
        ),
        fuzzParameters(),
      );
      await gw.gateway.close();
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    "answers every mapped source's valid body with one member replaced soundly",
    async () => {
      const gw = testGateway(CONFIG);
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom<Kind>("orders", "billing", "stripe", "shopify"),
          fc.nat(),
          HOSTILE_MEMBER,
          async (kind, pick, fragment) => {
            countCase();
            gw.memory.clear();
            const id = freshId();
            const payload = JSON.parse(validBody(kind, id, { note: "x" })) as unknown;
            const paths = pathsOf(payload);
            const path = paths[pick % paths.length] as (string | number)[];
            const body = encoder.encode(withMember(payload, path, fragment));
            const answer = await send(gw, kind, signedHeaders(kind, body, id), body);
            expectSound(answer, { kind, path, fragment });
            expect(answer.status, answer.text).not.toBe(401);
            expect(gw.received()).toHaveLength(answer.status === 202 ? 1 : 0);
          },
        ),
        fuzzParameters(),
      );
      await gw.gateway.close();
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    "answers any query string and path on the events endpoint and every source soundly",
    async () => {
      const gw = testGateway(CONFIG);
      const percentPiece = fc.oneof(
        fc.integer({ min: 0, max: 255 }).map((b) => `%${b.toString(16).padStart(2, "0")}`),
        fc.constantFrom("%", "%E2%82", "%C3%28", "%ED%A0%80", "%ZZ", "%2", "+", "&", "=", "#", "..", "//"),
      );
      const piece = fc.oneof(
        percentPiece,
        fc.string({ unit: fc.constantFrom("a", "1", "-", "_", "~", "."), maxLength: 4 }),
      );
      const part = fc.array(piece, { maxLength: 6 }).map((p) => p.join(""));
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom("/events", ...KINDS.map((k) => `/hooks/${k}`)),
          part,
          fc.array(fc.tuple(fc.constantFrom("channel", "x", "channel", ""), part), { maxLength: 3 }),
          async (path, suffix, query) => {
            countCase();
            gw.memory.clear();
            const search = query.map(([k, v]) => `${k}=${v}`).join("&");
            const url = `${path}${suffix === "" ? "" : `/${suffix}`}${search === "" ? "" : `?${search}`}`;
            const id = freshId();
            const kind = (path.split("/")[2] ?? "orders") as Kind;
            const body = encoder.encode(
              path === "/events"
                ? JSON.stringify({ specversion: "1.0", id, source: "/s", type: "t" })
                : validBody(kind, id, null),
            );
            const headers =
              path === "/events"
                ? { "content-type": "application/cloudevents+json" }
                : signedHeaders(kind, body, id);
            const answer = await answerOf(
              await gw.gateway.request(url, {
                method: "POST",
                headers,
                body: body as Uint8Array<ArrayBuffer>,
              }),
            );
            expectSound(answer, url);
            expect(gw.received()).toHaveLength(answer.status === 202 ? 1 : 0);
          },
        ),
        fuzzParameters(),
      );
      await gw.gateway.close();
    },
    FUZZ_TIMEOUT_MS,
  );
});
