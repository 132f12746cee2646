/**
 * The end-to-end requests for the cloud sources (pubsub-push, eventgrid,
 * eventbridge), sent to every runtime like the webhook ones; their sources
 * are in SOURCES_CONFIG.
 */
import { expect } from "vitest";
import { signingKey, signToken } from "../support/jwks-server.js";
import { deliveredOnce, type SourceCase } from "./source-case.js";

export const EVENTGRID_SECRET = "eventgrid-delivery-secret-for-tests";
export const EVENTBRIDGE_API_KEY = "eventbridge-api-key-for-tests";

/** Signs the tokens Google's push service would; the test serves its public half as GOOGLE_JWKS_URL. */
export const googleKey = signingKey("google-push-1", "RS256");

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

export const CLOUD_SOURCE_CASES: readonly SourceCase[] = [
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
    ...deliveredOnce({
      id: "2070443601311540",
      type: "google.cloud.pubsub.topic.v1.messagePublished",
      source: "//pubsub.googleapis.com/projects/shop-prod/topics/orders",
      time: "2026-11-30T09:59:58.118Z",
      data: {
        message: { attributes: { region: "eu" } },
        subscription: "projects/shop-prod/subscriptions/orders-push",
      },
    }),
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
    ...deliveredOnce({
      id: "831e1650-001e-001b-66ab-eeb76e069631",
      source: GRID_TOPIC,
      subject: "/blobServices/default/containers/orders/blobs/1001.json",
      type: "Microsoft.Storage.BlobCreated",
      time: "2026-11-30T09:59:58.9584103Z",
      dataversion: "2",
      data: { contentLength: 524288, price: 12.5 },
    }),
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
    ...deliveredOnce({
      id: "7bf73129-1428-4cd3-a780-95db273d1602",
      type: "EC2 Instance State-change Notification",
      source: "aws.ec2",
      awsaccount: "123456789012",
      awsregion: "eu-west-1",
      awsresources: "arn:aws:ec2:eu-west-1:123456789012:instance/i-0abc",
      data: { "instance-id": "i-0abc", state: "running" },
    }),
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
