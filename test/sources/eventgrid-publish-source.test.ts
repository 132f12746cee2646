/**
 * `type: eventgrid-publish` with the official client: `EventGridPublisherClient`
 * from @azure/eventgrid publishes to the gateway as it would to an Event Grid
 * topic, with a key, a shared access signature, or an Entra ID token over
 * TLS, and its send() resolves only on Event Grid's empty 200. The events the
 * target gets show the mapping; refusals stay problem+json.
 */
import { randomBytes } from "node:crypto";
import { Agent } from "node:https";
import {
  AzureKeyCredential,
  AzureSASCredential,
  EventGridPublisherClient,
  generateSharedAccessSignature,
} from "@azure/eventgrid";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GatewayConfig } from "../../src/config/gateway-config.js";
import type { CloudEvent } from "../../src/event/cloud-event.js";
import { toJsonFormat } from "../../src/event/json-format.js";
import { selfSignedCertificate } from "../support/fake-eventgrid.js";
import {
  type JwksServer,
  type SigningKey,
  signingKey,
  signToken,
  startJwksServer,
} from "../support/jwks-server.js";
import { type ListeningGateway, listeningGateway } from "../support/listening-gateway.js";

const KEY = randomBytes(32).toString("base64");
const OTHER_KEY = randomBytes(32).toString("base64");
const TOPIC = "/subscriptions/0000/resourceGroups/shop/providers/Microsoft.EventGrid/topics/orders";
const ISSUER = "https://login.microsoftonline.com/tenant-1/v2.0";
const AUDIENCE = "https://eventgrid.azure.net";

const asJson = (event: CloudEvent) =>
  JSON.parse(new TextDecoder().decode(toJsonFormat(event))) as Record<string, unknown>;

let plain: ListeningGateway;
let secure: ListeningGateway;
let jwks: JwksServer;
let entraKey: SigningKey;
let tlsAgent: Agent;

const config = (resource: string, jwksUrl: string): GatewayConfig => ({
  routes: [{ name: "all", to: ["memory"] }],
  ingest: {
    sources: [
      {
        path: "/api/events",
        type: "eventgrid-publish",
        accessKeys: [OTHER_KEY, KEY],
        sasResources: [resource],
        topic: TOPIC,
        entra: { issuer: ISSUER, audience: AUDIENCE, jwksUrl },
      },
    ],
  },
});

beforeAll(async () => {
  entraKey = await signingKey("entra-1", "RS256");
  jwks = await startJwksServer([entraKey]);
  // The SAS resource names the URL producers use; ports are known only once listening, so it is set by reload.
  plain = await listeningGateway(config("http://placeholder/api/events", jwks.url));
  plain.gateway.reload(config(`${plain.url}/api/events`, jwks.url));
  const tls = selfSignedCertificate();
  tlsAgent = new Agent({ ca: tls.cert });
  secure = await listeningGateway(config("https://placeholder/api/events", jwks.url), tls);
  secure.gateway.reload(config(`${secure.url}/api/events`, jwks.url));
}, 60_000);

afterAll(async () => {
  await Promise.all([plain?.close(), secure?.close(), jwks?.close()]);
});

const keyClient = <S extends "CloudEvent" | "EventGrid">(schema: S, key = KEY) =>
  new EventGridPublisherClient(`${plain.url}/api/events`, schema, new AzureKeyCredential(key), {
    allowInsecureConnection: true,
    retryOptions: { maxRetries: 0 },
  });

describe("eventgrid-publish with the official @azure/eventgrid client", () => {
  it("CloudEvents schema with aeg-sas-key: send() resolves and the events arrive as sent", async () => {
    const before = plain.received().length;
    await keyClient("CloudEvent").send([
      { type: "com.example.order.created", source: "/shop", id: "ce-1", data: { orderId: 1 } },
      { type: "com.example.order.paid", source: "/shop", id: "ce-2", subject: "o-1", data: { orderId: 1 } },
    ]);
    const events = plain.received().slice(before).map(asJson);
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      id: "ce-1",
      type: "com.example.order.created",
      source: "/shop",
      data: { orderId: 1 },
    });
    expect(events[1]).toMatchObject({ id: "ce-2", subject: "o-1" });
  });

  it("Event Grid schema: mapped to CloudEvents, the topic option standing in for the topic", async () => {
    const before = plain.received().length;
    const eventTime = new Date("2026-12-02T10:00:00.000Z");
    await keyClient("EventGrid").send([
      {
        id: "eg-1",
        eventType: "Shop.Order.Created",
        subject: "orders/1",
        dataVersion: "1.0",
        eventTime,
        data: { orderId: 1, total: 12.5 },
      },
    ]);
    const [event] = plain.received().slice(before).map(asJson);
    expect(event).toEqual({
      specversion: "1.0",
      id: "eg-1",
      type: "Shop.Order.Created",
      source: TOPIC,
      subject: "orders/1",
      time: "2026-12-02T10:00:00.000Z",
      dataversion: "1.0",
      datacontenttype: "application/json",
      data: { orderId: 1, total: 12.5 },
    });
  });

  it("aeg-sas-token made by the client's generateSharedAccessSignature", async () => {
    const endpoint = `${plain.url}/api/events`;
    const token = await generateSharedAccessSignature(
      endpoint,
      new AzureKeyCredential(KEY),
      new Date(Date.now() + 600_000),
    );
    const client = new EventGridPublisherClient(endpoint, "CloudEvent", new AzureSASCredential(token), {
      allowInsecureConnection: true,
      retryOptions: { maxRetries: 0 },
    });
    const before = plain.received().length;
    await client.send([{ type: "com.example.sas", source: "/shop", id: "sas-1", data: {} }]);
    expect(
      plain
        .received()
        .slice(before)
        .map((e) => e.attributes.id),
    ).toEqual(["sas-1"]);
  });

  it.each([
    [
      "expired",
      async () =>
        generateSharedAccessSignature(
          `${plain.url}/api/events`,
          new AzureKeyCredential(KEY),
          new Date(Date.now() - 1000),
        ),
      "expired",
    ],
    [
      "for another resource",
      async () =>
        generateSharedAccessSignature(
          "https://elsewhere.example.com/api/events",
          new AzureKeyCredential(KEY),
          new Date(Date.now() + 600_000),
        ),
      "not in sasResources",
    ],
    [
      "signed with an unknown key",
      async () =>
        generateSharedAccessSignature(
          `${plain.url}/api/events`,
          new AzureKeyCredential(randomBytes(32).toString("base64")),
          new Date(Date.now() + 600_000),
        ),
      "signature matches none",
    ],
  ])("an aeg-sas-token %s is refused with 401 problem+json", async (_name, makeToken, reason) => {
    const token = await makeToken();
    const response = await fetch(`${plain.url}/api/events?api-version=2018-01-01`, {
      method: "POST",
      headers: { "content-type": "application/cloudevents-batch+json", "aeg-sas-token": token },
      body: JSON.stringify([{ specversion: "1.0", type: "t", source: "/s", id: "x" }]),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect((await response.json()).code).toBe("source-unauthenticated");
    expect(plain.refusals().at(-1)).toContain(reason);
  });

  it("a wrong key: the client's send() rejects with 401", async () => {
    await expect(
      keyClient("CloudEvent", randomBytes(32).toString("base64")).send([
        { type: "t", source: "/s", id: "x", data: {} },
      ]),
    ).rejects.toMatchObject({ statusCode: 401 });
  });

  it("Entra ID bearer token over TLS: verified against the issuer's JWKS", async () => {
    const credential = {
      getToken: async () => ({
        token: await signToken(entraKey, { iss: ISSUER, aud: AUDIENCE, sub: "app-1" }),
        expiresOnTimestamp: Date.now() + 3_600_000,
      }),
    };
    const client = new EventGridPublisherClient(`${secure.url}/api/events`, "CloudEvent", credential, {
      agent: tlsAgent,
      retryOptions: { maxRetries: 0 },
    });
    const before = secure.received().length;
    await client.send([{ type: "com.example.entra", source: "/shop", id: "entra-1", data: {} }]);
    expect(
      secure
        .received()
        .slice(before)
        .map((e) => e.attributes.id),
    ).toEqual(["entra-1"]);

    const wrongAudience = {
      getToken: async () => ({
        token: await signToken(entraKey, { iss: ISSUER, aud: "https://management.azure.com", sub: "app-1" }),
        expiresOnTimestamp: Date.now() + 3_600_000,
      }),
    };
    const refused = new EventGridPublisherClient(`${secure.url}/api/events`, "CloudEvent", wrongAudience, {
      agent: tlsAgent,
      retryOptions: { maxRetries: 0 },
    });
    await expect(refused.send([{ type: "t", source: "/s", id: "x", data: {} }])).rejects.toMatchObject({
      statusCode: 401,
    });
  });
});

describe("eventgrid-publish over plain HTTP", () => {
  const post = (query: string, contentType: string, body: string) =>
    fetch(`${plain.url}/api/events${query}`, {
      method: "POST",
      headers: { "content-type": contentType, "aeg-sas-key": KEY },
      body,
    });

  it("one structured CloudEvent is answered 200 with an empty body", async () => {
    const response = await post(
      "?api-version=2018-01-01",
      "application/cloudevents+json; charset=utf-8",
      JSON.stringify({ specversion: "1.0", type: "com.example.one", source: "/s", id: "one-1" }),
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
    expect(response.headers.get("content-type")).toBeNull();
    expect(plain.received().at(-1)?.attributes.id).toBe("one-1");
  });

  it("no api-version is a 400 that names it", async () => {
    const response = await post("", "application/cloudevents-batch+json", "[]");
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      errors: [{ query: "api-version", code: "missing-api-version" }],
    });
  });

  it("an Event Grid event without eventTime is a 400 naming /0/eventTime", async () => {
    const response = await post(
      "?api-version=2018-01-01",
      "application/json",
      JSON.stringify([{ id: "1", eventType: "T", subject: "s", data: {} }]),
    );
    expect(response.status).toBe(400);
    const problem = await response.json();
    expect(problem.errors).toContainEqual(
      expect.objectContaining({ pointer: "/0/eventTime", code: "missing-attribute" }),
    );
  });

  it("an eventTime that is not a timestamp is refused by the core checks, at its field", async () => {
    const response = await post(
      "?api-version=2018-01-01",
      "application/json",
      JSON.stringify([{ id: "1", eventType: "T", subject: "s", eventTime: "yesterday", data: {} }]),
    );
    expect(response.status).toBe(400);
    expect((await response.json()).errors).toContainEqual(
      expect.objectContaining({ pointer: "/0/eventTime" }),
    );
  });

  it("another media type is a 415", async () => {
    const response = await post("?api-version=2018-01-01", "text/plain", "hello");
    expect(response.status).toBe(415);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
  });
});
