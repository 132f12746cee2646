/**
 * Every source kind (json, github, standard-webhooks, hmac with each preset)
 * under arbitrary bodies and headers, with signatures right and wrong. A
 * refusal delivers nothing and is a problem+json 4xx; a wrong signature is a
 * 401; a correctly signed event with a fresh id is delivered exactly once.
 */
import { createHmac } from "node:crypto";
import { createRequire } from "node:module";
import fc from "fast-check";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import type { GatewayConfig } from "../../src/config/gateway-config.js";
import { testGateway } from "../support/gateway.js";
import { countCase, FUZZ_TIMEOUT_MS, fuzzParameters } from "./fuzz-budget.js";
import { answerOf, expectSound, failOnUnhandledRejections } from "./soundness.js";

failOnUnhandledRejections();

const GITHUB_SECRET = "github-secret-for-fuzzing";
const BILLING_SECRET = `whsec_${Buffer.from("billing-signing-key-for-fuzzing").toString("base64")}`;
const STRIPE_SECRET = "whsec_stripe-endpoint-secret-for-fuzzing";
const SHOPIFY_SECRET = "shpss_shopify-client-secret-for-fuzzing";

const CONFIG: GatewayConfig = {
  ingest: {
    sources: [
      {
        path: "/hooks/orders",
        type: "json",
        event: {
          type: "'com.example.order.created'",
          source: "'/shop'",
          id: "body.orderId",
          subject: "body.customer.id",
          tenant: 'headers."x-tenant"',
          channel: "query.channel",
        },
      },
      { path: "/hooks/github", type: "github", secrets: [GITHUB_SECRET] },
      {
        path: "/hooks/billing",
        type: "standard-webhooks",
        secrets: [BILLING_SECRET],
        event: { type: "body.type", source: "'https://billing.example.com'", subject: "body.data.id" },
      },
      { path: "/hooks/stripe", type: "hmac", preset: "stripe", secrets: [STRIPE_SECRET] },
      { path: "/hooks/shopify", type: "hmac", preset: "shopify", secrets: [SHOPIFY_SECRET] },
    ],
  },
} as GatewayConfig;

type Kind = "orders" | "github" | "billing" | "stripe" | "shopify";
const KINDS: readonly Kind[] = ["orders", "github", "billing", "stripe", "shopify"];
const SIGNED = new Set<Kind>(["github", "billing", "stripe", "shopify"]);

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const utf8 = {
  decode: (bytes: Uint8Array) => new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes),
  strict(bytes: Uint8Array): boolean {
    try {
      strictDecoder.decode(bytes);
      return true;
    } catch {
      return false;
    }
  },
};
const BOM = [0xef, 0xbb, 0xbf];

const hmac = (secret: string, data: Uint8Array | string, encoding: "hex" | "base64") =>
  createHmac("sha256", secret).update(data).digest(encoding);

/** The headers a provider sends with `body`, signed with its secret (or `wrongSecret`). */
function signedHeaders(
  kind: Kind,
  body: Uint8Array,
  id: string,
  wrongSecret?: string,
): Record<string, string> {
  const json = { "content-type": "application/json" };
  const nowS = Math.floor(Date.now() / 1000);
  switch (kind) {
    case "orders":
      return { ...json, "x-tenant": "t-1" };
    case "github":
      return {
        ...json,
        "x-github-event": "issues",
        "x-github-delivery": id,
        "x-hub-signature-256": `sha256=${hmac(wrongSecret ?? GITHUB_SECRET, body, "hex")}`,
      };
    case "billing": {
      const secret =
        wrongSecret === undefined ? BILLING_SECRET : `whsec_${Buffer.from(wrongSecret).toString("base64")}`;
      const text = utf8.decode(body);
      // The reference library signs text; bytes that are not UTF-8 are signed by hand.
      const key = Buffer.from(secret.slice("whsec_".length), "base64");
      const signed = Buffer.concat([Buffer.from(`${id}.${nowS}.`), body]);
      const signature = utf8.strict(body)
        ? new Webhook(secret).sign(id, new Date(nowS * 1000), text)
        : `v1,${createHmac("sha256", key).update(signed).digest("base64")}`;
      return { ...json, "webhook-id": id, "webhook-timestamp": String(nowS), "webhook-signature": signature };
    }
    case "stripe": {
      const signed = Buffer.concat([Buffer.from(`${nowS}.`), body]);
      return {
        ...json,
        "stripe-signature": `t=${nowS},v1=${hmac(wrongSecret ?? STRIPE_SECRET, signed, "hex")}`,
      };
    }
    case "shopify":
      return {
        ...json,
        "x-shopify-hmac-sha256": hmac(wrongSecret ?? SHOPIFY_SECRET, body, "base64"),
        "x-shopify-topic": "orders/create",
        "x-shopify-shop-domain": "example-store.myshopify.com",
        "x-shopify-event-id": id,
      };
  }
}

/** A body each provider would send for one event with this id. */
function validBody(kind: Kind, id: string, extra: unknown): string {
  switch (kind) {
    case "orders":
      return JSON.stringify({ orderId: id, customer: { id: "c-7" }, extra });
    case "github":
      return JSON.stringify({
        action: "opened",
        issue: { number: 7 },
        repository: { url: "https://api.github.com/repos/o/r" },
        extra,
      });
    case "billing":
      return JSON.stringify({ type: "invoice.paid", data: { id: "in_1", extra } });
    case "stripe":
      return JSON.stringify({
        id,
        object: "event",
        created: 1764496797,
        type: "payment_intent.succeeded",
        data: { object: { id: "pi_1", extra } },
      });
    case "shopify":
      return JSON.stringify({ id: 820982911946154500, email: "jon@example.com", extra });
  }
}

const jsonText = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.constantFrom(
    "1e400",
    "[1e400]",
    '{"orderId":1e400}',
    '{"orderId":123456789012345678901234567890}',
    '{"a":1,"a":2}',
    '{"orderId":"x","orderId":"y"}',
    "[]",
    "[{}]",
    "null",
    '""',
  ),
  fc.integer({ min: 1, max: 3000 }).map((n) => `${"[".repeat(n)}${"]".repeat(n)}`),
  fc.string({ unit: "binary", maxLength: 60 }),
);

const anyBody = fc.oneof(
  jsonText.map((t) => encoder.encode(t)),
  fc.uint8Array({ maxLength: 100 }),
  fc
    .tuple(fc.integer({ min: 1, max: 3 }), jsonText)
    .map(([n, t]) => new Uint8Array([...Array.from({ length: n }, () => BOM).flat(), ...encoder.encode(t)])),
);

const HEADER_CHARS = fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c));
const SIGNATURE_HEADERS = [
  "x-hub-signature-256",
  "x-github-event",
  "x-github-delivery",
  "webhook-id",
  "webhook-timestamp",
  "webhook-signature",
  "stripe-signature",
  "x-shopify-hmac-sha256",
  "x-shopify-topic",
  "x-shopify-shop-domain",
  "content-type",
  "x-tenant",
];
const headerNoise = fc.dictionary(
  fc.constantFrom(...SIGNATURE_HEADERS),
  fc.string({ unit: HEADER_CHARS, maxLength: 80 }),
  { maxKeys: 4 },
);

/** GitHub's own example payloads, one list per event name. */
const GITHUB_EXAMPLES = (
  createRequire(import.meta.url)("@octokit/webhooks-examples") as { name: string; examples: unknown[] }[]
).flatMap((d) => d.examples.map((payload) => ({ event: d.name, payload })));

/** JSON text put in place of one member: values the attribute rules must refuse or read with care. */
const HOSTILE_MEMBER = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
  fc.constantFrom(
    "1e400",
    "-1e400",
    "253402300800",
    "-62135596801",
    "1.5",
    "-0",
    "123456789012345678901234567890",
    '""',
    '" "',
    '"2026-13-45T99:99:99Z"',
    '"not a url with spaces"',
    '"\\ud800"',
    '"\\u0000"',
    '"%ZZ"',
    "null",
    "[]",
    "{}",
  ),
);

const PLACEHOLDER = "\u0000fuzzed-member\u0000";

/** Every path to a member or element of `value`. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== "object" || value === null) return [];
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, [...prefix, key])]);
}

/** `payload` as JSON text with the member at `path` replaced by `fragment` (raw JSON text). */
function withMember(payload: unknown, path: (string | number)[], fragment: string): string {
  const copy = structuredClone(payload) as Record<string | number, unknown>;
  let parent: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  parent[path[path.length - 1] as string | number] = PLACEHOLDER;
  return JSON.stringify(copy).replace(JSON.stringify(PLACEHOLDER), fragment);
}

let serial = 0;
const freshId = () => `fz-${process.pid}-${++serial}`;

async function send(
  gw: ReturnType<typeof testGateway>,
  kind: Kind,
  headers: Record<string, string>,
  body: Uint8Array,
) {
  return answerOf(
    await gw.gateway.request(`/hooks/${kind}`, {
      method: "POST",
      headers,
      body: body as Uint8Array<ArrayBuffer>,
    }),
  );
}

describe("sources, fuzzed", () => {
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
