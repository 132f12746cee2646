/**
 * The cloud sources (pubsub-push, eventgrid, eventbridge) under envelopes of
 * the right shape with members of any JSON value, arbitrary bodies, and
 * headers a push may carry: every answer is sound (never a 5xx, every 4xx a
 * problem+json), and a refusal delivers nothing.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { GatewayConfig } from "../../src/config/gateway-config.js";
import { testGateway } from "../support/gateway.js";
import { countCase, FUZZ_TIMEOUT_MS, fuzzParameters } from "./fuzz-budget.js";
import { answerOf, expectSound, failOnUnhandledRejections } from "./soundness.js";
import { anyBody, encoder } from "./source-fixtures.js";

failOnUnhandledRejections();

const CONFIG = {
  ingest: {
    sources: [
      { path: "/push", type: "pubsub-push", topic: "projects/p/topics/t", allowUnauthenticated: true },
      { path: "/grid", type: "eventgrid", querySecret: { values: ["s3cret"] } },
      { path: "/aws", type: "eventbridge", apiKey: { header: "x-api-key", values: ["k3y"] } },
    ],
  },
} as GatewayConfig;

const PATHS = { push: "/push", grid: "/grid?code=s3cret", aws: "/aws" } as const;
type Kind = keyof typeof PATHS;

/** A member: usually a plausible value, sometimes any JSON value, sometimes absent. */
const member = (plausible: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 3, arbitrary: plausible }, fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined));
const time = fc.constantFrom("2026-11-30T09:59:58Z", "2026-11-30T09:59:58.9584103Z", "yesterday", "");
const base64 = fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b).toString("base64"));
const attributes = fc.dictionary(
  fc.constantFrom(
    "ce-specversion",
    "ce-id",
    "ce-type",
    "ce-source",
    "ce-time",
    "content-type",
    "Content-Type",
    "region",
  ),
  fc.constantFrom(
    "1.0",
    "0.3",
    "x",
    "/s",
    "application/json",
    "application/cloudevents+json",
    "application/cloudevents-batch+json",
    "text/plain",
    "",
  ),
);

const envelope: Record<Kind, fc.Arbitrary<unknown>> = {
  push: fc.record(
    {
      message: member(
        fc.record(
          {
            data: member(base64),
            attributes: member(attributes),
            messageId: member(fc.string({ maxLength: 8 })),
            message_id: member(fc.string({ maxLength: 8 })),
            publishTime: member(time),
            orderingKey: member(fc.string({ maxLength: 8 })),
          },
          { requiredKeys: [] },
        ),
      ),
      subscription: member(fc.constant("projects/p/subscriptions/s")),
      deliveryAttempt: member(fc.nat()),
    },
    { requiredKeys: [] },
  ),
  grid: fc.array(
    fc.record(
      {
        id: member(fc.string({ maxLength: 8 })),
        topic: member(fc.constantFrom("/subscriptions/x/resourceGroups/y", "not a uri ref\u0001", "")),
        subject: member(fc.string({ maxLength: 8 })),
        eventType: member(
          fc.constantFrom("Microsoft.Storage.BlobCreated", "Microsoft.EventGrid.SubscriptionValidationEvent"),
        ),
        eventTime: member(time),
        data: member(
          fc.record({ validationCode: member(fc.string({ maxLength: 8 })) }, { requiredKeys: [] }),
        ),
        dataVersion: member(fc.constantFrom("1", "2.0")),
      },
      { requiredKeys: [] },
    ),
    { maxLength: 3 },
  ),
  aws: fc.record(
    {
      version: member(fc.constant("0")),
      id: member(fc.string({ maxLength: 8 })),
      "detail-type": member(fc.string({ maxLength: 12 })),
      source: member(fc.constantFrom("aws.ec2", "com.example", "")),
      account: member(fc.constant("123456789012")),
      time: member(time),
      region: member(fc.constant("eu-west-1")),
      resources: member(fc.array(fc.string({ maxLength: 12 }), { maxLength: 3 })),
      detail: member(fc.jsonValue({ maxDepth: 2 })),
    },
    { requiredKeys: [] },
  ),
};

const HEADER_CHARS = fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c));
const headerNoise = fc.dictionary(
  fc.constantFrom(
    "x-goog-pubsub-message-id",
    "x-goog-pubsub-publish-time",
    "x-goog-pubsub-subscription-name",
    "x-goog-ordering-key",
    "ce-specversion",
    "ce-id",
    "ce-type",
    "ce-source",
    "content-type",
  ),
  fc.string({ unit: HEADER_CHARS, maxLength: 40 }),
  { maxKeys: 5 },
);

describe("cloud sources, fuzzed", () => {
  it(
    "answers any envelope, body and headers soundly, delivering nothing when it refuses",
    async () => {
      const gw = testGateway(CONFIG);
      const kinds = Object.keys(PATHS) as Kind[];
      const body = fc.constantFrom(...kinds).chain((kind) =>
        fc.tuple(
          fc.constant(kind),
          fc.oneof(
            envelope[kind].map((e) => encoder.encode(JSON.stringify(e))),
            anyBody,
          ),
          headerNoise,
        ),
      );
      await fc.assert(
        fc.asyncProperty(body, async ([kind, bytes, noise]) => {
          countCase();
          gw.memory.clear();
          const headers = { "content-type": "application/json", "x-api-key": "k3y", ...noise };
          const answer = await answerOf(
            await gw.gateway.request(PATHS[kind], {
              method: "POST",
              headers,
              body: bytes as Uint8Array<ArrayBuffer>,
            }),
          );
          expectSound(answer, { kind, body: new TextDecoder().decode(bytes), headers });
          if (answer.status !== 202) expect(gw.received()).toHaveLength(0);
        }),
        fuzzParameters(),
      );
      await gw.gateway.close();
    },
    FUZZ_TIMEOUT_MS,
  );
});
