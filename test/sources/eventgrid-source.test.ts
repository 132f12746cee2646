/**
 * `eventgrid` through the app: Event Grid schema deliveries (a batch, as Event
 * Grid sends them), the subscription validation handshake, CloudEvents-schema
 * deliveries with their OPTIONS handshake, and both ways a subscription
 * proves itself: a query secret and an Entra ID token (a local RSA key).
 */
import { afterEach, describe, expect, it } from "vitest";
import type { GatewayConfig } from "../../src/config/gateway-config.js";
import { problemOf, text } from "../support/gateway.js";
import { identityProviderForFile } from "../support/identity-provider.js";
import { signToken } from "../support/jwks-server.js";
import { type SourceGateway, sourceGateway } from "../support/source-gateway.js";

const NOW_MS = Date.UTC(2026, 10, 30, 10, 0, 0);
const SECRET = "eg-delivery-secret-2026";
const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const APP = "api://ce-gateway-eventgrid";
/** Event Grid's own app id: the client its webhook tokens are issued to. */
const EVENT_GRID = "4962773b-9cdb-44cf-a8bf-237846a00ab7";
const TOPIC =
  "/subscriptions/5b4b650e-28b9-4790-b3ab-ddbd88d727c4/resourceGroups/shop/providers/Microsoft.Storage/storageAccounts/shopdata";

// Shaped as Event Grid delivers a Blob Storage event; the data keeps 12.50 and member order.
const BLOB_CREATED = `{"topic":"${TOPIC}","subject":"/blobServices/default/containers/orders/blobs/1001.json","eventType":"Microsoft.Storage.BlobCreated","id":"831e1650-001e-001b-66ab-eeb76e069631","data":{"api":"PutBlockList","contentLength":524288,"price":12.50,"url":"https://shopdata.blob.core.windows.net/orders/1001.json"},"dataVersion":"2","metadataVersion":"1","eventTime":"2026-11-30T09:59:58.9584103Z"}`;

const VALIDATION = JSON.stringify([
  {
    id: "2d1781af-3a4c-4d7c-bd0c-e34b19da4e66",
    topic: TOPIC,
    subject: "",
    data: {
      validationCode: "512d38b6-c7b8-40c8-89fe-f46f9e9622b6",
      validationUrl:
        "https://rp-eastus2.eventgrid.azure.net:553/eventsubscriptions/x/validate?id=1&t=2&apiVersion=2018-05-01-preview&token=3",
    },
    eventType: "Microsoft.EventGrid.SubscriptionValidationEvent",
    eventTime: "2026-11-30T09:59:50.000Z",
    metadataVersion: "1",
    dataVersion: "1",
  },
]);

const entra = identityProviderForFile("entra-key-1");
let t: SourceGateway;
afterEach(() => t?.gateway.close());

const gridSource = (
  auth: Record<string, unknown> = { querySecret: { values: [SECRET] } },
): GatewayConfig => ({
  ingest: { sources: [{ path: "/hooks/eventgrid", type: "eventgrid", ...auth }] },
});

const PATH = `/hooks/eventgrid?code=${SECRET}`;

async function expectRefused(response: Response, reason: RegExp) {
  expect(response.status).toBe(401);
  expect((await problemOf(response)).code).toBe("source-unauthenticated");
  expect(t.refusals().at(-1)).toMatch(reason);
  expect(t.received()).toEqual([]);
}

describe("eventgrid: Event Grid schema", () => {
  it("converts each event of a delivery by the documented mapping, data byte for byte", async () => {
    t = sourceGateway(gridSource(), NOW_MS);
    const second = BLOB_CREATED.replace("831e1650", "931e1650").replace('"dataVersion":"2",', "");
    const response = await t.post(PATH, `[${BLOB_CREATED}, ${second}]`, { "aeg-event-type": "Notification" });
    expect(response.status, await response.clone().text()).toBe(202);
    const [first, other] = t.received();
    expect(first?.attributes).toEqual({
      specversion: "1.0",
      id: "831e1650-001e-001b-66ab-eeb76e069631",
      source: TOPIC,
      subject: "/blobServices/default/containers/orders/blobs/1001.json",
      type: "Microsoft.Storage.BlobCreated",
      time: "2026-11-30T09:59:58.9584103Z",
      datacontenttype: "application/json",
    });
    expect(Object.fromEntries(first?.extensions ?? [])).toEqual({ dataversion: "2" });
    expect(text(first?.data?.bytes)).toBe(
      '{"api":"PutBlockList","contentLength":524288,"price":12.50,"url":"https://shopdata.blob.core.windows.net/orders/1001.json"}',
    );
    expect(other?.attributes.id).toBe("931e1650-001e-001b-66ab-eeb76e069631");
    expect(other?.extensions.size).toBe(0);
  });

  it("takes one event that is not in a list", async () => {
    t = sourceGateway(gridSource(), NOW_MS);
    expect((await t.post(PATH, BLOB_CREATED)).status).toBe(202);
    expect(t.received()).toHaveLength(1);
  });

  it("answers the subscription validation with its code, routing nothing", async () => {
    t = sourceGateway(gridSource(), NOW_MS);
    const response = await t.post(PATH, VALIDATION, { "aeg-event-type": "SubscriptionValidation" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ validationResponse: "512d38b6-c7b8-40c8-89fe-f46f9e9622b6" });
    expect(t.received()).toEqual([]);
  });

  it("refuses a validation request without the secret: the URL Event Grid validates carries it", async () => {
    t = sourceGateway(gridSource(), NOW_MS);
    await expectRefused(await t.post("/hooks/eventgrid", VALIDATION), /no \?code= secret/);
  });

  it.each([
    ["eventType", /"eventType":"[^"]*",/, "/1/eventType"],
    ["topic", /"topic":"[^"]*",/, "/1/topic"],
    ["id", /"id":"[^"]*",/, "/1/id"],
  ])("answers 400 naming a missing %s, by its position in the list", async (_field, remove, pointer) => {
    t = sourceGateway(gridSource(), NOW_MS);
    const response = await t.post(PATH, `[${BLOB_CREATED},${BLOB_CREATED.replace(remove, "")}]`);
    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem.errors).toEqual([expect.objectContaining({ index: 1, pointer, code: "missing-member" })]);
    expect(t.received()).toEqual([]);
  });

  it("answers 400 for a time that is not RFC 3339, naming eventTime", async () => {
    t = sourceGateway(gridSource(), NOW_MS);
    const response = await t.post(PATH, BLOB_CREATED.replace("2026-11-30T09:59:58.9584103Z", "30/11/2026"));
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors?.[0]?.pointer).toBe("/eventTime");
  });
});

describe("eventgrid: CloudEvents schema", () => {
  it("takes a CloudEvents batch as it is", async () => {
    t = sourceGateway(gridSource(), NOW_MS);
    const batch = '[{"specversion":"1.0","id":"c-1","source":"/shop","type":"com.example.x","data":{"n":1}}]';
    const response = await t.post(PATH, batch, { "content-type": "application/cloudevents-batch+json" });
    expect(response.status).toBe(202);
    expect(t.received()[0]?.attributes).toMatchObject({ id: "c-1", source: "/shop" });
  });

  it("answers the webhook handshake on its path, as Event Grid validates a CloudEvents endpoint", async () => {
    t = sourceGateway(gridSource(), NOW_MS);
    const response = (await t.gateway.request(PATH, {
      method: "OPTIONS",
      headers: { "webhook-request-origin": "eventgrid.azure.net" },
    })) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("webhook-allowed-origin")).toBe("eventgrid.azure.net");
  });
});

describe("eventgrid: authentication", () => {
  it.each([
    ["a wrong secret", "/hooks/eventgrid?code=guess", /matches none of the 1 secrets/],
    ["the secret twice", `/hooks/eventgrid?code=${SECRET}&code=${SECRET}`, /given 2 times/],
  ])("refuses %s", async (_what, path, reason) => {
    t = sourceGateway(gridSource(), NOW_MS);
    await expectRefused(await t.post(path, BLOB_CREATED), reason);
  });

  it("takes the query parameter's name from the config, and either secret while rotating", async () => {
    t = sourceGateway(gridSource({ querySecret: { name: "key", values: ["old-one", SECRET] } }), NOW_MS);
    expect((await t.post("/hooks/eventgrid?key=old-one", BLOB_CREATED)).status).toBe(202);
    expect((await t.post(`/hooks/eventgrid?key=${SECRET}`, BLOB_CREATED)).status).toBe(202);
  });

  const entraSource = () =>
    gridSource({
      entraId: { tenantId: TENANT, audience: APP, jwksUrl: entra.jwksUrl() },
    });
  const entraToken = (claims: Record<string, unknown> = {}) =>
    signToken(entra.key(), {
      iss: `https://sts.windows.net/${TENANT}/`,
      aud: APP,
      sub: "e6a1c2ad-4f7b-4f0e-8a1e-9d2f1c0b7a11",
      appid: EVENT_GRID,
      ...claims,
    });

  it("accepts an Entra ID token of the tenant for the app, v1 (appid) and v2 (azp)", async () => {
    t = sourceGateway(entraSource(), NOW_MS);
    const v2 = { iss: `https://login.microsoftonline.com/${TENANT}/v2.0`, appid: undefined, azp: EVENT_GRID };
    for (const claims of [{}, v2]) {
      const response = await t.post("/hooks/eventgrid", BLOB_CREATED, {
        authorization: `Bearer ${await entraToken(claims)}`,
      });
      expect(response.status).toBe(202);
    }
  });

  it("refuses a token of the tenant for the app that was issued to another app than Event Grid", async () => {
    t = sourceGateway(entraSource(), NOW_MS);
    const token = await entraToken({ appid: "0f1e2d3c-0000-4000-8000-000000000001" });
    await expectRefused(
      await t.post("/hooks/eventgrid", BLOB_CREATED, { authorization: `Bearer ${token}` }),
      /issued to the app "0f1e2d3c-0000-4000-8000-000000000001", not 4962773b/,
    );
  });

  it.each([
    [
      "another tenant's token",
      { iss: "https://sts.windows.net/00000000-0000-0000-0000-000000000000/" },
      /iss/,
    ],
    ["a token for another app", { aud: "api://someone-else" }, /aud/],
  ])("refuses %s", async (_what, claims, reason) => {
    t = sourceGateway(entraSource(), NOW_MS);
    const token = await entraToken(claims);
    await expectRefused(
      await t.post("/hooks/eventgrid", BLOB_CREATED, { authorization: `Bearer ${token}` }),
      reason,
    );
  });

  it("refuses a request without a token", async () => {
    t = sourceGateway(entraSource(), NOW_MS);
    await expectRefused(await t.post("/hooks/eventgrid", BLOB_CREATED), /Entra ID token: .*no Authorization/);
  });

  it("with both configured, needs both", async () => {
    t = sourceGateway(
      gridSource({
        querySecret: { values: [SECRET] },
        entraId: { tenantId: TENANT, audience: APP, jwksUrl: entra.jwksUrl() },
      }),
      NOW_MS,
    );
    const authorization = `Bearer ${await entraToken()}`;
    await expectRefused(await t.post("/hooks/eventgrid", BLOB_CREATED, { authorization }), /code/);
    expect((await t.post(PATH, BLOB_CREATED, { authorization })).status).toBe(202);
  });
});
