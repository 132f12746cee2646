/**
 * `pubsub-push` through the app: push envelopes (the shapes in the
 * google-cloudevents conformance data), the unwrapped form, CloudEvents
 * carried by the binding, and the OIDC token check against a local RSA key
 * served as a JWKS. Pushes from the real emulator are in pubsub-push-emulator.test.ts.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { GatewayConfig } from "../../src/config/gateway-config.js";
import { problemOf, text } from "../support/gateway.js";
import { identityProviderForFile } from "../support/identity-provider.js";
import { nowSeconds, signingKey, signToken, startJwksServer } from "../support/jwks-server.js";
import { sharedAvailable, sharedDir, sharedSkipReason } from "../support/shared-dir.js";
import { type SourceGateway, sourceGateway } from "../support/source-gateway.js";

const NOW_MS = Date.UTC(2026, 10, 30, 10, 0, 0);
const SA = "pusher@shop-prod.iam.gserviceaccount.com";
const AUDIENCE = "https://gateway.example.com/push/orders";
const conformance = (file: string) =>
  readFileSync(join(sharedDir, "conformance", "gcp-pubsub", file), "utf8");

const google = identityProviderForFile("google-key-1");
let t: SourceGateway;
afterEach(() => t?.gateway.close());

const pushSource = (extra: Record<string, unknown> = {}): GatewayConfig => ({
  ingest: {
    sources: [
      {
        path: "/push/orders",
        type: "pubsub-push",
        topic: "projects/test-project/topics/my-topic",
        oidc: { audience: AUDIENCE, serviceAccount: SA, jwksUrl: google.jwksUrl() },
        ...extra,
      },
    ],
  },
});

/** A token shaped as Google signs one for a push subscription. */
const googleToken = (claims: Record<string, unknown> = {}, key = google.key()) =>
  signToken(key, {
    iss: "https://accounts.google.com",
    aud: AUDIENCE,
    sub: "112233445566778899000",
    email: SA,
    email_verified: true,
    azp: "112233445566778899000",
    ...claims,
  });

const bearer = async (claims: Record<string, unknown> = {}) => ({
  authorization: `Bearer ${await googleToken(claims)}`,
});

async function expectRefused(response: Response, reason: RegExp) {
  expect(response.status).toBe(401);
  const problem = await problemOf(response);
  expect(problem.code).toBe("source-unauthenticated");
  expect(t.refusals().at(-1)).toMatch(reason);
  expect(t.received()).toEqual([]);
}

if (!sharedAvailable) console.warn(`pubsub-push envelope tests skipped: ${sharedSkipReason}`);

describe.skipIf(!sharedAvailable)("pubsub-push: messages that are not CloudEvents", () => {
  it.each([
    "examples/binary-MessagePublishedData-complex.json",
    "testdata/MessagePublishedData-duplicatedFields.json",
  ])("makes Eventarc's messagePublished event of %s", async (file) => {
    t = sourceGateway(pushSource(), NOW_MS);
    const envelope = JSON.parse(conformance(file));
    const response = await t.post("/push/orders", JSON.stringify(envelope), await bearer());
    expect(response.status, await response.clone().text()).toBe(202);
    const [event] = t.received();
    expect(event?.attributes).toMatchObject({
      id: "message-id",
      source: "//pubsub.googleapis.com/projects/test-project/topics/my-topic",
      type: "google.cloud.pubsub.topic.v1.messagePublished",
      time: "2021-02-05T04:06:14.109Z",
      datacontenttype: "application/json",
    });
    const data = JSON.parse(text(event?.data?.bytes) ?? "");
    expect(data.subscription).toBe(envelope.subscription);
    expect(data.message).toMatchObject({
      data: envelope.message.data,
      messageId: "message-id",
      publishTime: "2021-02-05T04:06:14.109Z",
    });
    expect(data.message.attributes).toEqual(envelope.message.attributes);
  });

  it("matches the structured example the conformance data gives for that envelope", async () => {
    t = sourceGateway(pushSource(), NOW_MS);
    const expected = JSON.parse(conformance("examples/structured-MessagePublishedData.json"));
    await t.post(
      "/push/orders",
      conformance("examples/binary-MessagePublishedData-complex.json"),
      await bearer(),
    );
    const [event] = t.received();
    const { id: _exampleId, ...attributes } = expected;
    delete attributes.data;
    // The example's id is Eventarc's own; a push carries the messageId, which is the id here.
    expect(event?.attributes).toEqual({ ...attributes, id: "message-id" });
    expect(JSON.parse(text(event?.data?.bytes) ?? "")).toEqual(expected.data);
  });

  it("reads the unwrapped form: data as the body, metadata in x-goog-pubsub-* headers", async () => {
    t = sourceGateway(pushSource(), NOW_MS);
    const response = await t.post("/push/orders", '{"status": "Hello there"}', {
      ...(await bearer()),
      "x-goog-pubsub-message-id": "2070443601311540",
      "x-goog-pubsub-publish-time": "2026-11-30T09:59:58.118Z",
      "x-goog-pubsub-subscription-name": "projects/test-project/subscriptions/unwrapped",
      "x-goog-pubsub-ordering-key": "some-key",
    });
    expect(response.status).toBe(202);
    const [event] = t.received();
    expect(event?.attributes).toMatchObject({ id: "2070443601311540", time: "2026-11-30T09:59:58.118Z" });
    expect(JSON.parse(text(event?.data?.bytes) ?? "")).toEqual({
      message: {
        data: Buffer.from('{"status": "Hello there"}').toString("base64"),
        messageId: "2070443601311540",
        publishTime: "2026-11-30T09:59:58.118Z",
        orderingKey: "some-key",
      },
      subscription: "projects/test-project/subscriptions/unwrapped",
    });
  });
});

describe("pubsub-push: messages that carry a CloudEvent", () => {
  it("takes ce-* attributes as the event in binary mode, the data as its data", async () => {
    t = sourceGateway(pushSource(), NOW_MS);
    const envelope = {
      message: {
        attributes: {
          "ce-specversion": "1.0",
          "ce-id": "order-1001",
          "ce-type": "com.example.order.created",
          "ce-source": "/shop",
          "ce-tenant": "acme",
          "content-type": "application/json",
        },
        data: Buffer.from('{"orderId": 1001, "total": 12.50}').toString("base64"),
        messageId: "4711",
        publishTime: "2026-11-30T09:59:58Z",
      },
      subscription: "projects/test-project/subscriptions/orders-push",
    };
    expect((await t.post("/push/orders", JSON.stringify(envelope), await bearer())).status).toBe(202);
    const [event] = t.received();
    expect(event?.attributes).toEqual({
      specversion: "1.0",
      id: "order-1001",
      type: "com.example.order.created",
      source: "/shop",
      datacontenttype: "application/json",
    });
    expect(event?.extensions.get("tenant")).toBe("acme");
    expect(text(event?.data?.bytes)).toBe('{"orderId": 1001, "total": 12.50}');
  });

  it("takes a structured-mode message (content-type application/cloudevents+json) as the event", async () => {
    t = sourceGateway(pushSource(), NOW_MS);
    const cloudEvent =
      '{"specversion":"1.0","id":"e-1","type":"com.example.x","source":"/s","data":{"n":1.50}}';
    const envelope = {
      message: {
        attributes: { "content-type": "application/cloudevents+json; charset=UTF-8" },
        data: Buffer.from(cloudEvent).toString("base64"),
        message_id: "4712",
        publish_time: "2026-11-30T09:59:58Z",
      },
      subscription: "projects/test-project/subscriptions/orders-push",
    };
    expect((await t.post("/push/orders", JSON.stringify(envelope), await bearer())).status).toBe(202);
    expect(t.received()[0]?.attributes).toMatchObject({ id: "e-1", type: "com.example.x", source: "/s" });
  });

  it("refuses a batch in a message, naming its content type: the binding has no batched mode", async () => {
    t = sourceGateway(pushSource(), NOW_MS);
    const envelope = {
      message: {
        attributes: { "Content-Type": "application/cloudevents-batch+json" },
        data: Buffer.from("[]").toString("base64"),
        messageId: "4714",
        publishTime: "2026-11-30T09:59:58Z",
      },
      subscription: "projects/test-project/subscriptions/orders-push",
    };
    const response = await t.post("/push/orders", JSON.stringify(envelope), await bearer());
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors).toEqual([
      expect.objectContaining({ pointer: "/message/attributes/Content-Type", code: "batch-in-message" }),
    ]);
  });

  it("refuses a message whose ce-* attributes make no valid CloudEvent, naming the attribute", async () => {
    t = sourceGateway(pushSource(), NOW_MS);
    const envelope = {
      message: {
        attributes: {
          "ce-specversion": "1.0",
          "ce-id": "1",
          "ce-type": "t",
          "ce-source": "/s",
          "ce-time": "yesterday",
        },
        messageId: "4713",
        publishTime: "2026-11-30T09:59:58Z",
      },
      subscription: "projects/test-project/subscriptions/orders-push",
    };
    const response = await t.post("/push/orders", JSON.stringify(envelope), await bearer());
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors).toEqual([
      expect.objectContaining({ pointer: "/message/attributes/ce-time" }),
    ]);
  });
});

describe("pubsub-push: malformed envelopes", () => {
  it.each([
    ["no message", { subscription: "projects/p/subscriptions/s" }, "/message"],
    [
      "no messageId",
      { message: { publishTime: "2026-11-30T09:59:58Z" }, subscription: "projects/p/subscriptions/s" },
      "/message/messageId",
    ],
    [
      "data not base64",
      {
        message: { data: "not base64!", messageId: "1", publishTime: "2026-11-30T09:59:58Z" },
        subscription: "projects/p/subscriptions/s",
      },
      "/message/data",
    ],
    [
      "an attribute not a string",
      {
        message: { attributes: { n: 1 }, messageId: "1", publishTime: "2026-11-30T09:59:58Z" },
        subscription: "projects/p/subscriptions/s",
      },
      "/message/attributes/n",
    ],
    [
      "no subscription",
      { message: { messageId: "1", publishTime: "2026-11-30T09:59:58Z" } },
      "/subscription",
    ],
  ])("answers 400 naming the field: %s", async (_what, envelope, pointer) => {
    t = sourceGateway(pushSource(), NOW_MS);
    const response = await t.post("/push/orders", JSON.stringify(envelope), await bearer());
    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem.code).toBe("unmappable-request");
    expect(problem.errors?.map((e) => e.pointer)).toContain(pointer);
  });

  it("answers 400 naming the header an unwrapped push lacks", async () => {
    t = sourceGateway(pushSource(), NOW_MS);
    const response = await t.post("/push/orders", "{}", {
      ...(await bearer()),
      "x-goog-pubsub-message-id": "1",
    });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors?.map((e) => e.header)).toEqual([
      "x-goog-pubsub-publish-time",
      "x-goog-pubsub-subscription-name",
    ]);
  });
});

describe.skipIf(!sharedAvailable)("pubsub-push: the OIDC token", () => {
  const BODY = sharedAvailable ? conformance("examples/binary-MessagePublishedData-complex.json") : "";

  it.each([
    ["no Authorization header", undefined, /no Authorization: Bearer token/],
    ["another service account's token", { email: "someone@gmail.com" }, /"email" claim is not/],
    ["an unverified email", { email_verified: false }, /"email_verified" claim is not true/],
    ["another audience", { aud: "https://elsewhere.example.com" }, /aud/],
    ["another issuer", { iss: "https://evil.example.com" }, /iss/],
    ["an expired token", { exp: nowSeconds() - 3600, iat: nowSeconds() - 7200 }, /exp/],
  ])("refuses %s", async (_what, claims, reason) => {
    t = sourceGateway(pushSource(), NOW_MS);
    const headers = claims === undefined ? {} : await bearer(claims);
    await expectRefused(await t.post("/push/orders", BODY, headers), reason);
  });

  it("accepts the issuer without https://, as Google also writes it", async () => {
    t = sourceGateway(pushSource(), NOW_MS);
    expect((await t.post("/push/orders", BODY, await bearer({ iss: "accounts.google.com" }))).status).toBe(
      202,
    );
  });

  it("refuses a token signed by a key the JWKS does not hold", async () => {
    t = sourceGateway(pushSource(), NOW_MS);
    const forger = await signingKey("google-key-1", "RS256");
    const token = await googleToken({}, forger);
    await expectRefused(
      await t.post("/push/orders", BODY, { authorization: `Bearer ${token}` }),
      /signature/,
    );
  });

  it("answers 503 (Pub/Sub retries) while the keys cannot be fetched", async () => {
    const down = await startJwksServer([google.key()]);
    down.failing(true);
    t = sourceGateway(
      pushSource({ oidc: { audience: AUDIENCE, serviceAccount: SA, jwksUrl: down.url } }),
      NOW_MS,
    );
    const response = await t.post("/push/orders", BODY, await bearer());
    expect(response.status).toBe(503);
    expect((await problemOf(response)).code).toBe("auth-unavailable");
    await down.close();
  });

  it("with allowUnauthenticated, checks no token (the gateway's auth applies instead)", async () => {
    t = sourceGateway(pushSource({ oidc: undefined, allowUnauthenticated: true }), NOW_MS);
    expect((await t.post("/push/orders", BODY)).status).toBe(202);
    await t.gateway.close();
    const key = "push-relay-key";
    const sha256 = createHash("sha256").update(key).digest("hex");
    t = sourceGateway(
      {
        ...pushSource({ oidc: undefined, allowUnauthenticated: true }),
        auth: { apiKeys: [{ id: "relay", sha256 }] },
      },
      NOW_MS,
    );
    expect((await t.post("/push/orders", BODY)).status).toBe(401);
    expect((await t.post("/push/orders", BODY, { authorization: `Bearer ${key}` })).status).toBe(202);
  });

  it("with oidc, the push's token is its authentication: the gateway's API keys are not asked for", async () => {
    const sha256 = createHash("sha256").update("some-key").digest("hex");
    t = sourceGateway({ ...pushSource(), auth: { apiKeys: [{ id: "k", sha256 }] } }, NOW_MS);
    expect((await t.post("/push/orders", BODY, await bearer())).status).toBe(202);
  });
});
