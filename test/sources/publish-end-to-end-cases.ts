/**
 * The cloud publish APIs in the end-to-end test: their entries in the shared
 * config, their settings, and the requests every runtime gets, shaped as the
 * official clients send them (the test also runs the clients themselves).
 */
import { AzureKeyCredential, generateSharedAccessSignature } from "@azure/eventgrid";
import { expect } from "vitest";
import { type SigningKey, signingKey, signToken } from "../support/jwks-server.js";
import type { SourceCase } from "./source-case.js";

const ENTRA_ISSUER = "https://login.microsoftonline.com/tenant-1/v2.0";
const ENTRA_AUDIENCE = "https://eventgrid.azure.net";

/** Entries of `ingest.sources`, indented to follow the shared config's (after preparePublishCases). */
export const publishSourcesYaml = () => `    - path: /api/events
      type: eventgrid-publish
      accessKeys: ["\${env:EVENTGRID_KEY}"]
      sasResources: ["https://gateway.example.com/api/events"]
      topic: /subscriptions/0000/resourceGroups/shop/providers/Microsoft.EventGrid/topics/orders
      entra:
        issuer: ${ENTRA_ISSUER}
        audience: ${ENTRA_AUDIENCE}
        keys: [${JSON.stringify(entraKey?.jwk)}]
    - path: "/topics/{topic}:publish"
      type: eventgrid-publish
      namespace: true
      accessKeys: ["\${env:EVENTGRID_KEY}"]
    - path: "/v1/projects/{project}/topics/{topic}:publish"
      type: pubsub-publish
      apiKeys: ["\${env:PUBSUB_API_KEY}"]
`;

export const EVENTGRID_KEY = Buffer.from("eventgrid-topic-key-for-the-tests").toString("base64");
export const PUBSUB_API_KEY = "pubsub-api-key-for-the-tests";

export const publishSettings: Record<string, string> = { EVENTGRID_KEY, PUBSUB_API_KEY };

const EG_PATH = "/api/events?api-version=2018-01-01";
const PUBSUB_PATH = "/v1/projects/shop/topics/orders:publish?$alt=json%3Benum-encoding=int";

let sasToken = "";
let entraKey: SigningKey | undefined;
const bearer: Record<string, string> = {};
/** Made once before the config is written and the cases run: the key and tokens are made asynchronously. */
export async function preparePublishCases(): Promise<void> {
  entraKey = await signingKey("entra-e2e", "ES256");
  bearer.valid = await signToken(entraKey, { iss: ENTRA_ISSUER, aud: ENTRA_AUDIENCE, sub: "app-1" });
  bearer.otherAudience = await signToken(entraKey, {
    iss: ENTRA_ISSUER,
    aud: "https://management.azure.com",
    sub: "app-1",
  });
  sasToken = await generateSharedAccessSignature(
    "https://gateway.example.com/api/events",
    new AzureKeyCredential(EVENTGRID_KEY),
    new Date(Date.now() + 3_600_000),
  );
}

const CE_BATCH = JSON.stringify([
  { specversion: "1.0", id: "eg-ce-1", type: "com.example.order.created", source: "/shop", data: { n: 1 } },
]);

const EG_BATCH = JSON.stringify([
  {
    id: "eg-1",
    eventType: "Shop.Order.Created",
    subject: "orders/1",
    eventTime: "2026-12-02T10:00:00.000Z",
    dataVersion: "1.0",
    data: { n: 1 },
  },
]);

const pubsubHeaders = { "content-type": "application/json", "x-goog-api-key": PUBSUB_API_KEY };

export const PUBLISH_CASES: readonly SourceCase[] = [
  {
    name: "eventgrid-publish: a CloudEvents batch with aeg-sas-key is answered 200, empty, as Event Grid answers",
    request: () => ({
      path: EG_PATH,
      headers: {
        "content-type": "application/cloudevents-batch+json; charset=utf-8",
        "aeg-sas-key": EVENTGRID_KEY,
      },
      body: CE_BATCH,
    }),
    status: 200,
    deliveredTo: "/sources",
    check(delivered, answer) {
      expect(answer).toBe("");
      expect(delivered).toEqual([expect.objectContaining({ id: "eg-ce-1", data: { n: 1 } })]);
    },
  },
  {
    name: "eventgrid-publish: Event Grid schema with an aeg-sas-token, mapped to a CloudEvent",
    request: () => ({
      path: EG_PATH,
      headers: { "content-type": "application/json; charset=utf-8", "aeg-sas-token": sasToken },
      body: EG_BATCH,
    }),
    status: 200,
    deliveredTo: "/sources",
    check(delivered) {
      expect(delivered).toEqual([
        {
          specversion: "1.0",
          id: "eg-1",
          type: "Shop.Order.Created",
          source: "/subscriptions/0000/resourceGroups/shop/providers/Microsoft.EventGrid/topics/orders",
          subject: "orders/1",
          time: "2026-12-02T10:00:00.000Z",
          dataversion: "1.0",
          datacontenttype: "application/json",
          data: { n: 1 },
        },
      ]);
    },
  },
  {
    name: "eventgrid-publish: an Entra ID bearer token (jose, static key) is accepted",
    request: () => ({
      path: EG_PATH,
      headers: {
        "content-type": "application/cloudevents-batch+json",
        authorization: `Bearer ${bearer.valid}`,
      },
      body: CE_BATCH.replace("eg-ce-1", "entra-ce-1"),
    }),
    status: 200,
    deliveredTo: "/sources",
    check(delivered) {
      expect(delivered).toEqual([expect.objectContaining({ id: "entra-ce-1" })]);
    },
  },
  {
    name: "eventgrid-publish: a bearer token for another audience is a 401",
    request: () => ({
      path: EG_PATH,
      headers: {
        "content-type": "application/cloudevents-batch+json",
        authorization: `Bearer ${bearer.otherAudience}`,
      },
      body: CE_BATCH,
    }),
    status: 401,
  },
  {
    name: "eventgrid-publish: a wrong aeg-sas-key is a 401 problem",
    request: () => ({
      path: EG_PATH,
      headers: { "content-type": "application/cloudevents-batch+json", "aeg-sas-key": "d3Jvbmc=" },
      body: CE_BATCH,
    }),
    status: 401,
    check(_delivered, answer) {
      expect(JSON.parse(answer).code).toBe("source-unauthenticated");
    },
  },
  {
    name: "eventgrid-publish, namespace: a CloudEvents batch with SharedAccessKey is answered 200 {}",
    request: () => ({
      path: "/topics/orders:publish?api-version=2024-06-01",
      headers: {
        "content-type": "application/cloudevents-batch+json; charset=utf-8",
        authorization: `SharedAccessKey ${EVENTGRID_KEY}`,
      },
      body: CE_BATCH.replace("eg-ce-1", "ns-ce-1"),
    }),
    status: 200,
    deliveredTo: "/sources",
    check(delivered, answer) {
      expect(JSON.parse(answer)).toEqual({});
      expect(delivered).toEqual([expect.objectContaining({ id: "ns-ce-1" })]);
    },
  },
  {
    name: "pubsub-publish: a plain message becomes messagePublished, its id in messageIds",
    request: () => ({
      path: PUBSUB_PATH,
      headers: pubsubHeaders,
      body: JSON.stringify({ messages: [{ data: "eyJuIjoxfQ==", attributes: { origin: "web" } }] }),
    }),
    status: 200,
    deliveredTo: "/sources",
    check(delivered, answer) {
      const { messageIds } = JSON.parse(answer) as { messageIds: string[] };
      expect(delivered).toEqual([
        expect.objectContaining({
          id: messageIds[0],
          type: "google.cloud.pubsub.topic.v1.messagePublished",
          source: "//pubsub.googleapis.com/projects/shop/topics/orders",
          data: {
            message: expect.objectContaining({
              data: "eyJuIjoxfQ==",
              attributes: { origin: "web" },
              messageId: messageIds[0],
            }),
          },
        }),
      ]);
    },
  },
  {
    name: "pubsub-publish: a message with ce- attributes is that CloudEvent",
    request: () => ({
      path: PUBSUB_PATH,
      headers: pubsubHeaders,
      body: JSON.stringify({
        messages: [
          {
            data: "eyJuIjoxfQ==",
            attributes: {
              "ce-specversion": "1.0",
              "ce-id": "ps-ce-1",
              "ce-type": "com.example.t",
              "ce-source": "/s",
              "content-type": "application/json",
            },
          },
        ],
      }),
    }),
    status: 200,
    deliveredTo: "/sources",
    check(delivered, answer) {
      expect(JSON.parse(answer)).toEqual({ messageIds: ["ps-ce-1"] });
      expect(delivered).toEqual([
        expect.objectContaining({ id: "ps-ce-1", type: "com.example.t", data: { n: 1 } }),
      ]);
    },
  },
  {
    name: "pubsub-publish: data that is not base64 is a 400 naming /messages/0/data",
    request: () => ({ path: PUBSUB_PATH, headers: pubsubHeaders, body: '{"messages":[{"data":"%%%"}]}' }),
    status: 400,
    check(_delivered, answer) {
      expect(JSON.parse(answer).errors).toEqual([expect.objectContaining({ pointer: "/messages/0/data" })]);
    },
  },
];
