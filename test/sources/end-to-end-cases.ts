/**
 * The requests the end-to-end test sends to every runtime, and what each must
 * become: one config with a source of every type, delivering to an HTTP receiver.
 */
import { createHmac } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { expect } from "vitest";
import { signingKey, signToken } from "../support/jwks-server.js";

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

const EVENTGRID_SECRET = "eventgrid-delivery-secret-for-tests";
const EVENTBRIDGE_API_KEY = "eventbridge-api-key-for-tests";

/** Signs the tokens Google's push service would; the test serves its public half as GOOGLE_JWKS_URL. */
export const googleKey = signingKey("google-push-1", "RS256");

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

export interface SourceCase {
  readonly name: string;
  request():
    | { path: string; headers: Record<string, string>; body: string }
    | Promise<{ path: string; headers: Record<string, string>; body: string }>;
  readonly status: number;
  /** Where the receiver gets the event; absent: nothing may be delivered. */
  readonly deliveredTo?: string;
  check?(delivered: Record<string, unknown>[], answer: string): void;
}

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

const pushToken = async (email: string) =>
  `Bearer ${await signToken(await googleKey, {
    iss: "https://accounts.google.com",
    aud: "https://gateway.example.com/push/orders",
    sub: "108833462915410712345",
    email,
    email_verified: true,
  })}`;

const PUSH = JSON.stringify({
  message: {
    attributes: { region: "eu" },
    data: Buffer.from('{"orderId": 1001}').toString("base64"),
    messageId: "2070443601311540",
    publishTime: "2026-11-30T09:59:58.118Z",
  },
  subscription: "projects/shop-prod/subscriptions/orders-push",
});

const GRID_TOPIC =
  "/subscriptions/5b4b650e/resourceGroups/shop/providers/Microsoft.Storage/storageAccounts/shopdata";
const BLOB_CREATED = `[{"topic":"${GRID_TOPIC}","subject":"/blobServices/default/containers/orders/blobs/1001.json","eventType":"Microsoft.Storage.BlobCreated","id":"831e1650-001e-001b-66ab-eeb76e069631","data":{"contentLength":524288,"price":12.50},"dataVersion":"2","metadataVersion":"1","eventTime":"2026-11-30T09:59:58.9584103Z"}]`;

const EC2_EVENT =
  '{"version":"0","id":"7bf73129-1428-4cd3-a780-95db273d1602","detail-type":"EC2 Instance State-change Notification","source":"aws.ec2","account":"123456789012","time":"2026-11-30T09:59:58Z","region":"eu-west-1","resources":["arn:aws:ec2:eu-west-1:123456789012:instance/i-0abc"],"detail":{"instance-id":"i-0abc","state":"running"}}';

export const SOURCE_CASES: readonly SourceCase[] = [
  {
    name: "json: a plain JSON order becomes a CloudEvent with its data byte for byte",
    request: () => ({ path: "/hooks/orders", headers: { "content-type": "application/json" }, body: ORDER }),
    status: 202,
    deliveredTo: "/sources",
    check(delivered) {
      expect(delivered).toHaveLength(1);
      expect(delivered[0]).toMatchObject({
        specversion: "1.0",
        id: "1001",
        type: "com.example.order.created",
        source: "/shop",
        subject: "c-7",
        datacontenttype: "application/json",
        data: { orderId: 1001, total: 12.5 },
      });
    },
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
    status: 202,
    deliveredTo: "/sources",
    check(delivered) {
      expect(delivered).toHaveLength(1);
      expect(delivered[0]).toMatchObject({
        id: "72d3162e-cc78-11e3-81ab-4c9367dc0958",
        type: "com.github.issue.opened",
        source: "https://api.github.com/repos/octo/hello",
        subject: "7",
        time: "2026-11-30T10:00:00Z",
      });
    },
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
  {
    name: "pubsub-push: a push with Google's OIDC token becomes messagePublished",
    request: async () => ({
      path: "/push/orders",
      headers: {
        "content-type": "application/json",
        authorization: await pushToken("pusher@shop-prod.iam.gserviceaccount.com"),
      },
      body: PUSH,
    }),
    status: 202,
    deliveredTo: "/sources",
    check(delivered) {
      expect(delivered).toHaveLength(1);
      expect(delivered[0]).toMatchObject({
        id: "2070443601311540",
        type: "google.cloud.pubsub.topic.v1.messagePublished",
        source: "//pubsub.googleapis.com/projects/shop-prod/topics/orders",
        time: "2026-11-30T09:59:58.118Z",
        data: {
          message: { attributes: { region: "eu" } },
          subscription: "projects/shop-prod/subscriptions/orders-push",
        },
      });
    },
  },
  {
    name: "pubsub-push: a Google token for another account is a 401",
    request: async () => ({
      path: "/push/orders",
      headers: { "content-type": "application/json", authorization: await pushToken("someone@gmail.com") },
      body: PUSH,
    }),
    status: 401,
    check(_delivered, answer) {
      expect(JSON.parse(answer).code).toBe("source-unauthenticated");
    },
  },
  {
    name: "eventgrid: the subscription validation is answered with its code",
    request: () => ({
      path: `/hooks/eventgrid?code=${EVENTGRID_SECRET}`,
      headers: { "content-type": "application/json", "aeg-event-type": "SubscriptionValidation" },
      body: JSON.stringify([
        {
          id: "2d1781af",
          topic: GRID_TOPIC,
          subject: "",
          eventType: "Microsoft.EventGrid.SubscriptionValidationEvent",
          eventTime: "2026-11-30T09:59:50Z",
          data: { validationCode: "512d38b6-c7b8-40c8-89fe-f46f9e9622b6" },
          dataVersion: "1",
          metadataVersion: "1",
        },
      ]),
    }),
    status: 200,
    check(_delivered, answer) {
      expect(JSON.parse(answer)).toEqual({ validationResponse: "512d38b6-c7b8-40c8-89fe-f46f9e9622b6" });
    },
  },
  {
    name: "eventgrid: an Event Grid schema delivery becomes CloudEvents by the mapping",
    request: () => ({
      path: `/hooks/eventgrid?code=${EVENTGRID_SECRET}`,
      headers: { "content-type": "application/json", "aeg-event-type": "Notification" },
      body: BLOB_CREATED,
    }),
    status: 202,
    deliveredTo: "/sources",
    check(delivered) {
      expect(delivered).toHaveLength(1);
      expect(delivered[0]).toMatchObject({
        id: "831e1650-001e-001b-66ab-eeb76e069631",
        source: GRID_TOPIC,
        subject: "/blobServices/default/containers/orders/blobs/1001.json",
        type: "Microsoft.Storage.BlobCreated",
        time: "2026-11-30T09:59:58.9584103Z",
        dataversion: "2",
        data: { contentLength: 524288, price: 12.5 },
      });
    },
  },
  {
    name: "eventgrid: a wrong query secret is a 401",
    request: () => ({
      path: "/hooks/eventgrid?code=guess",
      headers: { "content-type": "application/json" },
      body: BLOB_CREATED,
    }),
    status: 401,
  },
  {
    name: "eventbridge: an API destination's delivery becomes a CloudEvent with aws* extensions",
    request: () => ({
      path: "/hooks/aws",
      headers: { "content-type": "application/json", "x-api-key": EVENTBRIDGE_API_KEY },
      body: EC2_EVENT,
    }),
    status: 202,
    deliveredTo: "/sources",
    check(delivered) {
      expect(delivered).toHaveLength(1);
      expect(delivered[0]).toMatchObject({
        id: "7bf73129-1428-4cd3-a780-95db273d1602",
        type: "EC2 Instance State-change Notification",
        source: "aws.ec2",
        awsaccount: "123456789012",
        awsregion: "eu-west-1",
        awsresources: "arn:aws:ec2:eu-west-1:123456789012:instance/i-0abc",
        data: { "instance-id": "i-0abc", state: "running" },
      });
    },
  },
  {
    name: "eventbridge: an envelope without detail-type is a 400 naming it",
    request: () => ({
      path: "/hooks/aws",
      headers: { "content-type": "application/json", "x-api-key": EVENTBRIDGE_API_KEY },
      body: EC2_EVENT.replace(/"detail-type":"[^"]*",/, ""),
    }),
    status: 400,
    check(_delivered, answer) {
      expect(JSON.parse(answer).errors).toEqual([expect.objectContaining({ pointer: "/detail-type" })]);
    },
  },
];
