/**
 * The requests the end-to-end test sends to every runtime, and what each must
 * become: one config with a source of every type, delivering to an HTTP receiver.
 */
import { createHmac } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { expect } from "vitest";
import { CLOUD_SOURCE_CASES, EVENTBRIDGE_API_KEY, EVENTGRID_SECRET } from "./cloud-end-to-end-cases.js";
import { deliveredOnce, type SourceCase } from "./source-case.js";

export const SOURCES_CONFIG = `version: 1
targets:
  hook: { type: http, url: "\${env:HOOK_URL}/sources", mode: structured }
routes:
  - name: all
    to: [hook]
ingest:
  sources:
    - path: /hooks/orders
      type: json
      event:
        type: "'com.example.order.created'"
        source: "'/shop'"
        id: "body.orderId"
        subject: "body.customer.id"
    - path: /hooks/github
      type: github
      secrets: ["\${env:GITHUB_OLD_SECRET}", "\${env:GITHUB_SECRET}"]
    - path: /hooks/billing
      type: standard-webhooks
      secrets: ["\${env:BILLING_WEBHOOK_SECRET}"]
      event:
        type: "body.type"
        source: "'https://billing.example.com'"
        subject: "body.data.id"
    - path: /hooks/stripe
      type: hmac
      preset: stripe
      secrets: ["\${env:STRIPE_WEBHOOK_SECRET}"]
    - path: /hooks/shopify
      type: hmac
      preset: shopify
      secrets: ["\${env:SHOPIFY_CLIENT_SECRET}"]
    - path: /push/orders
      type: pubsub-push
      topic: projects/shop-prod/topics/orders
      oidc:
        audience: https://gateway.example.com/push/orders
        serviceAccount: pusher@shop-prod.iam.gserviceaccount.com
        jwksUrl: "\${env:GOOGLE_JWKS_URL}"
    - path: /hooks/eventgrid
      type: eventgrid
      querySecret: { values: ["\${env:EVENTGRID_SECRET}"] }
    - path: /hooks/aws
      type: eventbridge
      apiKey: { header: X-Api-Key, values: ["\${env:EVENTBRIDGE_API_KEY}"] }
`;

const GITHUB_SECRET = "github-secret-for-tests";
const BILLING_SECRET = `whsec_${Buffer.from("billing-signing-key-for-tests").toString("base64")}`;
const STRIPE_SECRET = "whsec_stripe-endpoint-secret-for-tests";
const SHOPIFY_SECRET = "shpss_shopify-client-secret-for-tests";

export const sourceSettings = (hookUrl: string, googleJwksUrl: string): Record<string, string> => ({
  HOOK_URL: hookUrl,
  GOOGLE_JWKS_URL: googleJwksUrl,
  EVENTGRID_SECRET,
  EVENTBRIDGE_API_KEY,
  GITHUB_SECRET,
  GITHUB_OLD_SECRET: "github-old-secret",
  BILLING_WEBHOOK_SECRET: BILLING_SECRET,
  STRIPE_WEBHOOK_SECRET: STRIPE_SECRET,
  SHOPIFY_CLIENT_SECRET: SHOPIFY_SECRET,
});

const hmacHex = (secret: string, body: string) => createHmac("sha256", secret).update(body).digest("hex");

const ORDER = '{"orderId": 1001, "customer": {"id": "c-7"}, "total": 12.50}';

const ISSUE_OPENED = JSON.stringify({
  action: "opened",
  issue: { number: 7, updated_at: "2026-11-30T10:00:00Z" },
  repository: { url: "https://api.github.com/repos/octo/hello" },
});

const githubHeaders = (event: string, body: string, secret = GITHUB_SECRET): Record<string, string> => ({
  "content-type": "application/json",
  "x-github-event": event,
  "x-github-delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958",
  "x-hub-signature-256": `sha256=${hmacHex(secret, body)}`,
});

const INVOICE_PAID =
  '{"type":"invoice.paid","timestamp":"2026-11-30T09:59:41Z","data":{"id":"in_1Nq8","amount_paid":1250}}';

/** Standard Webhooks headers, signed `secondsAgo` before now by the specification's reference library. */
const standardWebhookHeaders = (body: string, secondsAgo: number): Record<string, string> => {
  const at = new Date(Date.now() - secondsAgo * 1000);
  return {
    "content-type": "application/json",
    "webhook-id": "msg_2Lx9xq7A0bPz",
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Webhook(BILLING_SECRET).sign("msg_2Lx9xq7A0bPz", at, body),
  };
};

const STRIPE_EVENT = JSON.stringify({
  id: "evt_3QbLpF2eZvKYlo2C1a0Vh8xJ",
  object: "event",
  created: 1764496797,
  type: "payment_intent.succeeded",
  data: { object: { id: "pi_3QbLpF2eZvKYlo2C1lqBw9Wq", object: "payment_intent", amount: 2000 } },
});

const SHOPIFY_ORDER = '{"id":820982911946154500,"email":"jon@example.com","total_price":"403.00"}';

export const SOURCE_CASES: readonly SourceCase[] = [
  {
    name: "json: a plain JSON order becomes a CloudEvent with its data byte for byte",
    request: () => ({ path: "/hooks/orders", headers: { "content-type": "application/json" }, body: ORDER }),
    ...deliveredOnce({
      specversion: "1.0",
      id: "1001",
      type: "com.example.order.created",
      source: "/shop",
      subject: "c-7",
      datacontenttype: "application/json",
      data: { orderId: 1001, total: 12.5 },
    }),
  },
  {
    name: "json: a mapping that yields nothing for a required attribute is a 400 naming it",
    request: () => ({ path: "/hooks/orders", headers: { "content-type": "application/json" }, body: "{}" }),
    status: 400,
    check(_delivered, answer) {
      expect(JSON.parse(answer)).toMatchObject({ code: "unmappable-request", errors: [{ pointer: "/id" }] });
    },
  },

  {
    name: "github: a signed issues delivery becomes com.github.issue.opened",
    request: () => ({
      path: "/hooks/github",
      headers: githubHeaders("issues", ISSUE_OPENED),
      body: ISSUE_OPENED,
    }),
    ...deliveredOnce({
      id: "72d3162e-cc78-11e3-81ab-4c9367dc0958",
      type: "com.github.issue.opened",
      source: "https://api.github.com/repos/octo/hello",
      subject: "7",
      time: "2026-11-30T10:00:00Z",
    }),
  },
  {
    name: "github: form-encoded, signed with the secret being rotated out",
    request: () => {
      const body = `payload=${encodeURIComponent(ISSUE_OPENED)}`;
      return {
        path: "/hooks/github",
        headers: {
          ...githubHeaders("issues", body, "github-old-secret"),
          "content-type": "application/x-www-form-urlencoded",
        },
        body,
      };
    },
    status: 202,
    deliveredTo: "/sources",
    check(delivered) {
      expect(delivered[0]).toMatchObject({ type: "com.github.issue.opened", data: JSON.parse(ISSUE_OPENED) });
    },
  },
  {
    name: "github: a wrong signature is a 401 that says nothing more",
    request: () => ({
      path: "/hooks/github",
      headers: githubHeaders("issues", ISSUE_OPENED, "not-the-secret"),
      body: ISSUE_OPENED,
    }),
    status: 401,
    check(_delivered, answer) {
      const problem = JSON.parse(answer);
      expect(problem.code).toBe("source-unauthenticated");
      expect(problem.errors).toBeUndefined();
    },
  },
  {
    name: "github: ping is answered 200 and not routed",
    request: () => {
      const body = JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1 });
      return { path: "/hooks/github", headers: githubHeaders("ping", body), body };
    },
    status: 200,
  },

  {
    name: "standard-webhooks: a signed webhook becomes an event with webhook-id as its id",
    request: () => ({
      path: "/hooks/billing",
      headers: standardWebhookHeaders(INVOICE_PAID, 2),
      body: INVOICE_PAID,
    }),
    status: 202,
    deliveredTo: "/sources",
    check(delivered) {
      expect(delivered).toHaveLength(1);
      expect(delivered[0]).toMatchObject({
        id: "msg_2Lx9xq7A0bPz",
        type: "invoice.paid",
        source: "https://billing.example.com",
        subject: "in_1Nq8",
        data: JSON.parse(INVOICE_PAID),
      });
      expect(delivered[0]).not.toHaveProperty("time");
    },
  },
  {
    name: "standard-webhooks: a correct signature ten minutes old is a 401 (replay)",
    request: () => ({
      path: "/hooks/billing",
      headers: standardWebhookHeaders(INVOICE_PAID, 600),
      body: INVOICE_PAID,
    }),
    status: 401,
    check(_delivered, answer) {
      expect(JSON.parse(answer).code).toBe("source-unauthenticated");
    },
  },
  {
    name: "hmac, preset stripe: an event signed as Stripe signs it",
    request: () => {
      const at = Math.floor(Date.now() / 1000);
      const v1 = createHmac("sha256", STRIPE_SECRET).update(`${at}.${STRIPE_EVENT}`).digest("hex");
      return {
        path: "/hooks/stripe",
        headers: { "content-type": "application/json", "stripe-signature": `t=${at},v1=${v1}` },
        body: STRIPE_EVENT,
      };
    },
    status: 202,
    deliveredTo: "/sources",
    check(delivered) {
      expect(delivered[0]).toMatchObject({
        id: "evt_3QbLpF2eZvKYlo2C1a0Vh8xJ",
        type: "payment_intent.succeeded",
        source: "https://api.stripe.com",
        subject: "pi_3QbLpF2eZvKYlo2C1lqBw9Wq",
        time: "2025-11-30T09:59:57.000Z",
      });
    },
  },
  {
    name: "hmac, preset shopify: a webhook signed as Shopify signs it",
    request: () => ({
      path: "/hooks/shopify",
      headers: {
        "content-type": "application/json",
        "x-shopify-hmac-sha256": createHmac("sha256", SHOPIFY_SECRET).update(SHOPIFY_ORDER).digest("base64"),
        "x-shopify-topic": "orders/create",
        "x-shopify-shop-domain": "example-store.myshopify.com",
        "x-shopify-webhook-id": "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
      },
      body: SHOPIFY_ORDER,
    }),
    status: 202,
    deliveredTo: "/sources",
    check(delivered) {
      expect(delivered[0]).toMatchObject({
        id: "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
        type: "com.shopify.orders/create",
        source: "https://example-store.myshopify.com",
      });
    },
  },
  ...CLOUD_SOURCE_CASES,
];
