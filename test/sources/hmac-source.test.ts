import { createHash, createHmac } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { ConfigIssue } from "../../src/config/config-error.js";
import type { GatewayConfig } from "../../src/config/gateway-config.js";
import { parseConfig } from "../../src/config/parse-config.js";
import { nodeTargets } from "../../src/entries/node/targets.js";
import { configIssues } from "../support/config-issues.js";
import { problemOf } from "../support/gateway.js";
import { type SourceGateway, sourceGateway } from "../support/source-gateway.js";

// The arrival time of every request: 2026-11-30T10:00:00Z.
const NOW_MS = Date.UTC(2026, 10, 30, 10, 0, 0);
const NOW_S = NOW_MS / 1000;

const hmac = (algorithm: string, secret: string, message: string) =>
  createHmac(algorithm, secret).update(message);

let t: SourceGateway;
afterEach(async () => {
  await t?.gateway.close();
});

/** A 401 that tells the sender nothing, the log's reason, and no event beyond the `accepted` ones before it. */
async function expectRefused(response: Response, reason: RegExp, accepted = 0) {
  expect(response.status).toBe(401);
  const problem = await problemOf(response);
  expect(problem.code).toBe("source-unauthenticated");
  expect(problem.detail).toBe("The request's signature could not be verified");
  expect(t.refusals().at(-1)).toMatch(reason);
  expect(t.received()).toHaveLength(accepted);
}

async function expectUnmappable(response: Response, pointer: string, code: string) {
  expect(response.status).toBe(400);
  const problem = await problemOf(response);
  expect(problem.errors).toEqual([expect.objectContaining({ pointer, code })]);
}

const only = (source: Record<string, unknown>): GatewayConfig => ({
  ingest: { sources: [source as { path: string; type: string }] },
});

describe("hmac source, preset: stripe", () => {
  const SECRET = "whsec_8a3Kq2rLmN5pT7vX9zB1cD4fG6hJ0kQ";
  const ROLLED = "whsec_Zx9Wv7Ut5Sr3Qp1On2Ml4Kj6Ih8Gf0Ed";
  const stripe = (secrets = [SECRET], extra: Record<string, unknown> = {}) =>
    only({ path: "/hooks/stripe", type: "hmac", preset: "stripe", secrets, ...extra });

  // An event as Stripe posts it: the endpoint gets the event object, created in epoch seconds.
  const CREATED = NOW_S - 3;
  const EVENT = JSON.stringify({
    id: "evt_3QbLpF2eZvKYlo2C1a0Vh8xJ",
    object: "event",
    api_version: "2024-06-20",
    created: CREATED,
    data: {
      object: {
        id: "pi_3QbLpF2eZvKYlo2C1lqBw9Wq",
        object: "payment_intent",
        amount: 2000,
        currency: "usd",
        status: "succeeded",
      },
    },
    livemode: false,
    pending_webhooks: 1,
    request: { id: "req_Q8dW2xYbQ9k1Zx", idempotency_key: "8e1f0c3a-5b7d-4f2e-9a6c-1d3b5e7f9a0c" },
    type: "payment_intent.succeeded",
  });

  /** `Stripe-Signature` as Stripe writes it: t, then a v1 (HMAC-SHA256, hex) per secret, over `<t>.<body>`. */
  const stripeSignature = (secrets: string[], body = EVENT, at = NOW_S - 1) =>
    [`t=${at}`, ...secrets.map((s) => `v1=${hmac("sha256", s, `${at}.${body}`).digest("hex")}`)].join(",");

  it("verifies a Stripe event and maps it by the preset", async () => {
    t = sourceGateway(stripe(), NOW_MS);
    // Stripe also sends a v0 signature (test mode); it is ignored.
    const signature = `${stripeSignature([SECRET])},v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39`;
    const response = await t.post("/hooks/stripe", EVENT, { "Stripe-Signature": signature });
    expect(response.status).toBe(202);
    const [event] = t.received();
    expect(event?.attributes).toEqual({
      specversion: "1.0",
      id: "evt_3QbLpF2eZvKYlo2C1a0Vh8xJ",
      source: "https://api.stripe.com",
      type: "payment_intent.succeeded",
      subject: "pi_3QbLpF2eZvKYlo2C1lqBw9Wq",
      time: new Date(CREATED * 1000).toISOString(),
      datacontenttype: "application/json",
    });
    expect(new TextDecoder().decode(event?.data?.bytes)).toBe(EVENT);
  });

  it("passes while Stripe rolls the secret: one v1 per secret, any match passes", async () => {
    t = sourceGateway(stripe([ROLLED]), NOW_MS);
    const both = stripeSignature([SECRET, ROLLED]);
    expect((await t.post("/hooks/stripe", EVENT, { "Stripe-Signature": both })).status).toBe(202);
    await expectRefused(
      await t.post("/hooks/stripe", EVENT, { "Stripe-Signature": stripeSignature([SECRET]) }),
      /no signature in stripe-signature matches any of the 1 secrets/,
      1,
    );
  });

  it("accepts either configured secret, and refuses one that was removed", async () => {
    t = sourceGateway(stripe([SECRET, ROLLED]), NOW_MS);
    expect(
      (await t.post("/hooks/stripe", EVENT, { "Stripe-Signature": stripeSignature([SECRET]) })).status,
    ).toBe(202);
    expect(
      (await t.post("/hooks/stripe", EVENT, { "Stripe-Signature": stripeSignature([ROLLED]) })).status,
    ).toBe(202);
    await t.gateway.close();
    t = sourceGateway(stripe([ROLLED]), NOW_MS);
    await expectRefused(
      await t.post("/hooks/stripe", EVENT, { "Stripe-Signature": stripeSignature([SECRET]) }),
      /matches any/,
    );
  });

  it.each([
    ["no Stripe-Signature header", undefined, /no stripe-signature header/],
    ["a signature by another secret", () => stripeSignature(["whsec_other"]), /matches any/],
    ["no t= part", () => stripeSignature([SECRET]).replace(/^t=\d+,/, ""), /no t= parts/],
    ["two t= parts", () => `t=${NOW_S},${stripeSignature([SECRET])}`, /2 t= parts/],
    ["only a v0 signature", () => `t=${NOW_S - 1},v0=${"ab".repeat(32)}`, /holds no signature/],
    ["a timestamp 301 s old", () => stripeSignature([SECRET], EVENT, NOW_S - 301), /301 s older/],
    ["a timestamp 301 s ahead", () => stripeSignature([SECRET], EVENT, NOW_S + 301), /301 s ahead/],
    // The signature is over `<t>.<body>`: moving t forward to look fresh breaks it.
    [
      "a timestamp changed after signing",
      () => stripeSignature([SECRET]).replace(/^t=\d+/, `t=${NOW_S}`),
      /matches any/,
    ],
  ])("refuses %s", async (_what, header, reason) => {
    t = sourceGateway(stripe(), NOW_MS);
    const headers: Record<string, string> = header === undefined ? {} : { "Stripe-Signature": header() };
    await expectRefused(await t.post("/hooks/stripe", EVENT, headers), reason);
  });

  it("refuses a body changed after signing", async () => {
    t = sourceGateway(stripe(), NOW_MS);
    const signature = stripeSignature([SECRET]);
    await expectRefused(
      await t.post("/hooks/stripe", EVENT.replace('"amount":2000', '"amount":1'), {
        "Stripe-Signature": signature,
      }),
      /matches any/,
    );
  });

  it("lets the config's options take the place of the preset's", async () => {
    t = sourceGateway(
      stripe([SECRET], {
        toleranceSeconds: 600,
        event: { source: "'https://stripe.com/acct_1Hq2Lb2eZvKYlo2C'" },
      }),
      NOW_MS,
    );
    const signature = stripeSignature([SECRET], EVENT, NOW_S - 500);
    expect((await t.post("/hooks/stripe", EVENT, { "Stripe-Signature": signature })).status).toBe(202);
    expect(t.received()[0]?.attributes).toMatchObject({
      source: "https://stripe.com/acct_1Hq2Lb2eZvKYlo2C",
      type: "payment_intent.succeeded",
    });
  });

  it("answers 400 naming the attribute when a signed event cannot be mapped", async () => {
    t = sourceGateway(stripe(), NOW_MS);
    const body = EVENT.replace('"type":"payment_intent.succeeded"', '"kind":"payment_intent.succeeded"');
    await expectUnmappable(
      await t.post("/hooks/stripe", body, { "Stripe-Signature": stripeSignature([SECRET], body) }),
      "/type",
      "unmapped-attribute",
    );
  });
});

describe("hmac source, preset: shopify", () => {
  const CLIENT_SECRET = "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";
  const shopify = (secrets = [CLIENT_SECRET]) =>
    only({ path: "/hooks/shopify", type: "hmac", preset: "shopify", secrets });

  const ORDER = JSON.stringify({
    id: 820982911946154500,
    admin_graphql_api_id: "gid://shopify/Order/820982911946154508",
    email: "jon@example.com",
    created_at: "2026-11-30T04:59:55-05:00",
    currency: "USD",
    total_price: "403.00",
    financial_status: "paid",
    line_items: [{ id: 866550311766439000, title: "IPod Nano - 8GB", quantity: 1, price: "199.00" }],
  });

  /** The headers Shopify sends with a webhook, signed with the client secret (HMAC-SHA256 of the body, base64). */
  const shopifyHeaders = (body = ORDER, secret = CLIENT_SECRET): Record<string, string> => ({
    "X-Shopify-Topic": "orders/create",
    "X-Shopify-Hmac-Sha256": hmac("sha256", secret, body).digest("base64"),
    "X-Shopify-Shop-Domain": "example-store.myshopify.com",
    "X-Shopify-API-Version": "2025-10",
    "X-Shopify-Webhook-Id": "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
    "X-Shopify-Event-Id": "98880550-7158-44d4-b7cd-2c97c8a091b5",
    "X-Shopify-Triggered-At": "2026-11-30T09:59:58.410839227Z",
  });

  it("verifies a Shopify webhook and maps it from its headers", async () => {
    t = sourceGateway(shopify(), NOW_MS);
    expect((await t.post("/hooks/shopify", ORDER, shopifyHeaders())).status).toBe(202);
    const [event] = t.received();
    expect(event?.attributes).toEqual({
      specversion: "1.0",
      id: "98880550-7158-44d4-b7cd-2c97c8a091b5",
      source: "https://example-store.myshopify.com",
      type: "com.shopify.orders/create",
      time: "2026-11-30T09:59:58.410839227Z",
      datacontenttype: "application/json",
    });
    expect(new TextDecoder().decode(event?.data?.bytes)).toBe(ORDER);
  });

  it("takes the webhook id when an older API version sends no event id", async () => {
    t = sourceGateway(shopify(), NOW_MS);
    const headers = shopifyHeaders();
    delete headers["X-Shopify-Event-Id"];
    expect((await t.post("/hooks/shopify", ORDER, headers)).status).toBe(202);
    expect(t.received()[0]?.attributes.id).toBe("b54557e4-bdd9-4b37-8a5f-bf7d70bcd043");
  });

  it.each([
    ["another app's secret", () => shopifyHeaders(ORDER, "shpss_someone_else"), /matches any/],
    [
      "the signature in hex instead of base64",
      () => ({
        ...shopifyHeaders(),
        "X-Shopify-Hmac-Sha256": hmac("sha256", CLIENT_SECRET, ORDER).digest("hex"),
      }),
      /matches any/,
    ],
    ["a body changed after signing", () => shopifyHeaders(ORDER.replace("403.00", "4.03")), /matches any/],
    [
      "no signature header",
      () => {
        const headers = shopifyHeaders();
        delete headers["X-Shopify-Hmac-Sha256"];
        return headers;
      },
      /no x-shopify-hmac-sha256 header/,
    ],
  ])("refuses %s", async (_what, headers, reason) => {
    t = sourceGateway(shopify(), NOW_MS);
    await expectRefused(await t.post("/hooks/shopify", ORDER, headers()), reason);
  });

  it("answers 400 naming type when a signed request has no topic", async () => {
    t = sourceGateway(shopify(), NOW_MS);
    const headers = shopifyHeaders();
    delete headers["X-Shopify-Topic"];
    await expectUnmappable(await t.post("/hooks/shopify", ORDER, headers), "/type", "unmapped-attribute");
  });
});

describe("hmac source, by options", () => {
  const SECRET = "It's a Secret to Everybody";
  const ORDERS = only({
    path: "/hooks/orders",
    type: "hmac",
    secrets: [SECRET],
    header: "X-Hub-Signature-256",
    prefix: "sha256=",
    event: { type: "'com.example.order.created'", source: "'/shop'", subject: "body.customer" },
  });
  const BODY = '{"orderId":"o-1001","customer":"c-7","total":12.50}';
  const sha256 = (body: string, secret = SECRET) => `sha256=${hmac("sha256", secret, body).digest("hex")}`;

  it("verifies a prefixed hex signature over the body, with the id a hash of source, path and body", async () => {
    t = sourceGateway(ORDERS, NOW_MS);
    expect((await t.post("/hooks/orders", BODY, { "X-Hub-Signature-256": sha256(BODY) })).status).toBe(202);
    // As the README documents it: <len(source)>:<source>\n<len(path)>:<path>\n\n, then the body.
    const expected = createHash("sha256").update(`5:/shop\n13:/hooks/orders\n\n${BODY}`).digest("hex");
    expect(t.received()[0]?.attributes).toMatchObject({ id: expected, subject: "c-7" });
    // Redelivered: the same id.
    await t.post("/hooks/orders", BODY, { "X-Hub-Signature-256": sha256(BODY) });
    expect(t.received()[1]?.attributes.id).toBe(expected);
  });

  it("accepts several signatures in the header, and refuses one without the prefix", async () => {
    t = sourceGateway(ORDERS, NOW_MS);
    const several = `${sha256(BODY, "an old secret")}, ${sha256(BODY)}`;
    expect((await t.post("/hooks/orders", BODY, { "X-Hub-Signature-256": several })).status).toBe(202);
    await expectRefused(
      await t.post("/hooks/orders", BODY, { "X-Hub-Signature-256": sha256(BODY).slice("sha256=".length) }),
      /x-hub-signature-256 holds no signature/,
      1,
    );
  });

  it("checks the signature before reading the body", async () => {
    t = sourceGateway(ORDERS, NOW_MS);
    await expectRefused(
      await t.post("/hooks/orders", "{oops", { "X-Hub-Signature-256": sha256("{oops", "wrong") }),
      /matches any/,
    );
    const bad = await t.post("/hooks/orders", "{oops", { "X-Hub-Signature-256": sha256("{oops") });
    expect(bad.status).toBe(400);
    expect((await problemOf(bad)).code).toBe("malformed-body");
  });

  it("answers 400 naming the attribute a signed body cannot fill", async () => {
    t = sourceGateway(ORDERS, NOW_MS);
    const body = '{"customer":{"id":"c-7"}}';
    await expectUnmappable(
      await t.post("/hooks/orders", body, { "X-Hub-Signature-256": sha256(body) }),
      "/subject",
      "unmappable-value",
    );
  });

  it.each([
    ["SHA-1", "hex", "sha1"],
    ["SHA-512", "base64", "sha512"],
  ] as const)("verifies %s signatures written in %s", async (algorithm, encoding, nodeName) => {
    t = sourceGateway(
      only({
        path: "/hooks/legacy",
        type: "hmac",
        secrets: [SECRET],
        header: "X-Signature",
        algorithm,
        encoding,
        event: { type: "'t'", source: "'/legacy'" },
      }),
      NOW_MS,
    );
    const good = hmac(nodeName, SECRET, BODY).digest(encoding);
    expect((await t.post("/hooks/legacy", BODY, { "X-Signature": good })).status).toBe(202);
    const sha256Instead = hmac("sha256", SECRET, BODY).digest(encoding);
    await expectRefused(
      await t.post("/hooks/legacy", BODY, { "X-Signature": sha256Instead }),
      /matches any/,
      1,
    );
  });

  describe("with a timestamp header and a template (Slack's scheme)", () => {
    const SLACK = only({
      path: "/hooks/slack",
      type: "hmac",
      secrets: ["8f742231b10e8888abcd99yyyzzz85a5"],
      header: "X-Slack-Signature",
      prefix: "v0=",
      timestampHeader: "X-Slack-Request-Timestamp",
      signed: "v0:{timestamp}:{body}",
      event: { type: "body.event.type", source: "'https://slack.com/' & body.team_id", id: "body.event_id" },
    });
    const EVENT =
      '{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","team_id":"T0001","api_app_id":"A0F7XDUAZ","event":{"type":"app_mention","user":"U061F7AUR","text":"<@U0LAN0Z89> is it everything a river should be?","ts":"1515449522.000016","channel":"C0LAN2Q65"},"type":"event_callback","event_id":"Ev0LAN670R","event_time":1515449522}';
    const slackHeaders = (at: number, body = EVENT) => ({
      "X-Slack-Request-Timestamp": String(at),
      "X-Slack-Signature": `v0=${hmac("sha256", "8f742231b10e8888abcd99yyyzzz85a5", `v0:${at}:${body}`).digest("hex")}`,
    });

    it("verifies and maps", async () => {
      t = sourceGateway(SLACK, NOW_MS);
      expect((await t.post("/hooks/slack", EVENT, slackHeaders(NOW_S - 4))).status).toBe(202);
      expect(t.received()[0]?.attributes).toMatchObject({
        id: "Ev0LAN670R",
        type: "app_mention",
        source: "https://slack.com/T0001",
      });
    });

    it("refuses a missing, stale or future timestamp, and one changed after signing", async () => {
      t = sourceGateway(SLACK, NOW_MS);
      const { "X-Slack-Signature": signature } = slackHeaders(NOW_S);
      await expectRefused(
        await t.post("/hooks/slack", EVENT, { "X-Slack-Signature": signature }),
        /no x-slack-request-timestamp header/,
      );
      await expectRefused(await t.post("/hooks/slack", EVENT, slackHeaders(NOW_S - 301)), /301 s older/);
      await expectRefused(await t.post("/hooks/slack", EVENT, slackHeaders(NOW_S + 301)), /301 s ahead/);
      await expectRefused(
        await t.post("/hooks/slack", EVENT, {
          ...slackHeaders(NOW_S - 400),
          "X-Slack-Request-Timestamp": String(NOW_S),
        }),
        /matches any/,
      );
    });
  });
});

describe("hmac source in the config", () => {
  const config = (...source: string[]) =>
    [
      "targets: { out: { type: stdout } }",
      "routes: [{ name: all, to: [out] }]",
      "ingest:",
      "  sources:",
      "    - path: /hooks/signed",
      "      type: hmac",
      '      secrets: ["${env:SECRET}"]',
      ...source,
      "",
    ].join("\n");
  const env = { SECRET: "s3cret" };

  const issuesOf = (text: string): ConfigIssue[] => configIssues(text, { env });

  it.each([
    [["      preset: stripe"]],
    [["      preset: shopify", "      event: { subject: body.admin_graphql_api_id }"]],
    [
      [
        "      header: X-Slack-Signature",
        "      prefix: v0=",
        "      timestampHeader: X-Slack-Request-Timestamp",
        '      signed: "v0:{timestamp}:{body}"',
        "      event: { type: body.event.type, source: \"'https://slack.com'\" }",
      ],
    ],
  ])("accepts %j", (lines) => {
    expect(parseConfig(config(...lines), { catalog: nodeTargets, env }).ingest?.sources?.[0]?.type).toBe(
      "hmac",
    );
  });

  const event = "      event: { type: \"'t'\", source: \"'/s'\" }";
  it.each([
    [
      [event],
      "ingest.sources[0].header",
      /header that carries the signature \(or a preset: stripe, shopify\)/,
    ],
    [["      header: X-Signature"], "ingest.sources[0].event", /missing required key "type"/],
    [["      preset: paypal"], "ingest.sources[0].preset", /must be one of "stripe", "shopify"/],
    [
      ["      header: X-Signature", "      algorithm: MD5", event],
      "ingest.sources[0].algorithm",
      /must be one of/,
    ],
    [
      ["      header: X-Signature", '      signed: "{timestamp}.{body}"', event],
      "ingest.sources[0].signed",
      /\{timestamp\} needs a timestamp/,
    ],
    [
      ["      header: X-Signature", "      timestampHeader: X-Timestamp", '      signed: "{body}"', event],
      "ingest.sources[0].signed",
      /must contain \{timestamp\}/,
    ],
    [
      ["      header: X-Signature", '      signed: "{timestamp}"', event],
      "ingest.sources[0].signed",
      /\{body\}/,
    ],
    [
      ["      header: X-Signature", '      signed: "{url}{body}"', event],
      "ingest.sources[0].signed",
      /\{url\}/,
    ],
    [
      ["      header: X-Signature", "      toleranceSeconds: 60", event],
      "ingest.sources[0].toleranceSeconds",
      /no timestamp to check/,
    ],
    [["      preset: stripe", "      prefix: v1="], "ingest.sources[0].prefix", /parts\.signature/],
    [
      ["      preset: stripe", "      timestampHeader: X-Timestamp"],
      "ingest.sources[0].timestampHeader",
      /already a part/,
    ],
    [
      ["      header: X-Signature", "      parts: { signature: s, timestamp: s }", event],
      "ingest.sources[0].parts.timestamp",
      /different keys/,
    ],
    [["      header: X Signature", event], "ingest.sources[0].header", /pattern/],
  ])("refuses %j at %s", (lines, path, message) => {
    expect(issuesOf(config(...lines))).toContainEqual(
      expect.objectContaining({ path, message: expect.stringMatching(message) }),
    );
  });
});
