/**
 * The fuzzed sources: one gateway config with every source kind (json,
 * github, standard-webhooks, hmac with the stripe and shopify presets), how
 * to sign a body for each, and the arbitrary bodies and headers thrown at them.
 */
import { createHmac } from "node:crypto";
import fc from "fast-check";
import { Webhook } from "standardwebhooks";
import type { GatewayConfig } from "../../src/config/gateway-config.js";
import type { testGateway } from "../support/gateway.js";
import { answerOf } from "./soundness.js";

const GITHUB_SECRET = "github-secret-for-fuzzing";
const BILLING_SECRET = `whsec_${Buffer.from("billing-signing-key-for-fuzzing").toString("base64")}`;
const STRIPE_SECRET = "whsec_stripe-endpoint-secret-for-fuzzing";
const SHOPIFY_SECRET = "shpss_shopify-client-secret-for-fuzzing";

export const CONFIG: GatewayConfig = {
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

export type Kind = "orders" | "github" | "billing" | "stripe" | "shopify";
export const KINDS: readonly Kind[] = ["orders", "github", "billing", "stripe", "shopify"];
export const SIGNED = new Set<Kind>(["github", "billing", "stripe", "shopify"]);

export const encoder = new TextEncoder();
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
export const BOM = [0xef, 0xbb, 0xbf];

const hmac = (secret: string, data: Uint8Array | string, encoding: "hex" | "base64") =>
  createHmac("sha256", secret).update(data).digest(encoding);

/** The headers a provider sends with `body`, signed with its secret (or `wrongSecret`). */
export function signedHeaders(
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
export function validBody(kind: Kind, id: string, extra: unknown): string {
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

export const anyBody = fc.oneof(
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
export const headerNoise = fc.dictionary(
  fc.constantFrom(...SIGNATURE_HEADERS),
  fc.string({ unit: HEADER_CHARS, maxLength: 80 }),
  { maxKeys: 4 },
);

let serial = 0;
export const freshId = () => `fz-${process.pid}-${++serial}`;

export async function send(
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
