/**
 * `eventbridge` through the app: the envelope an API destination delivers,
 * converted by the documented mapping, and each way its connection
 * authorizes: Basic, an API-key header, OAuth client credentials (a JWT from
 * a local authorization server's key).
 */
import { afterEach, describe, expect, it } from "vitest";
import type { GatewayConfig } from "../../src/config/gateway-config.js";
import { problemOf, text } from "../support/gateway.js";
import { identityProviderForFile } from "../support/identity-provider.js";
import { signToken } from "../support/jwks-server.js";
import { type SourceGateway, sourceGateway } from "../support/source-gateway.js";

const NOW_MS = Date.UTC(2026, 10, 30, 10, 0, 0);

// An EC2 state change as EventBridge sends it; detail keeps its member order and number text.
const EC2_EVENT =
  '{"version":"0","id":"7bf73129-1428-4cd3-a780-95db273d1602","detail-type":"EC2 Instance State-change Notification","source":"aws.ec2","account":"123456789012","time":"2026-11-30T09:59:58Z","region":"eu-west-1","resources":["arn:aws:ec2:eu-west-1:123456789012:instance/i-1234567890abcdef0"],"detail":{"instance-id":"i-1234567890abcdef0","state":"running","cpu":1.50}}';

const provider = identityProviderForFile("idp-1");
let t: SourceGateway;
afterEach(() => t?.gateway.close());

const bridge = (auth: Record<string, unknown>): GatewayConfig => ({
  ingest: { sources: [{ path: "/hooks/aws", type: "eventbridge", ...auth }] },
});
const API_KEY = { apiKey: { header: "X-Api-Key", values: ["k-2026-old", "k-2026-new"] } };
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

/** A 401 that logs `reason` and delivers nothing beyond the `accepted` events before it. */
async function expectRefused(response: Response, reason: RegExp, accepted = 1) {
  expect(response.status).toBe(401);
  expect((await problemOf(response)).code).toBe("source-unauthenticated");
  expect(t.refusals().at(-1)).toMatch(reason);
  expect(t.received()).toHaveLength(accepted);
}

describe("eventbridge: the envelope", () => {
  it("converts by the documented mapping, detail byte for byte", async () => {
    t = sourceGateway(bridge(API_KEY), NOW_MS);
    const response = await t.post("/hooks/aws", EC2_EVENT, { "x-api-key": "k-2026-new" });
    expect(response.status, await response.clone().text()).toBe(202);
    const [event] = t.received();
    expect(event?.attributes).toEqual({
      specversion: "1.0",
      id: "7bf73129-1428-4cd3-a780-95db273d1602",
      type: "EC2 Instance State-change Notification",
      source: "aws.ec2",
      time: "2026-11-30T09:59:58Z",
      datacontenttype: "application/json",
    });
    expect(Object.fromEntries(event?.extensions ?? [])).toEqual({
      awsaccount: "123456789012",
      awsregion: "eu-west-1",
      awsresources: "arn:aws:ec2:eu-west-1:123456789012:instance/i-1234567890abcdef0",
    });
    expect(text(event?.data?.bytes)).toBe(
      '{"instance-id":"i-1234567890abcdef0","state":"running","cpu":1.50}',
    );
  });

  it.each([
    ["detail-type", /"detail-type":"[^"]*",/, "missing-member"],
    ["source", /"source":"aws.ec2",/, "missing-member"],
    ["time", /"time":"[^"]*",/, "missing-member"],
  ])("answers 400 naming a missing %s", async (field, remove, code) => {
    t = sourceGateway(bridge(API_KEY), NOW_MS);
    const response = await t.post("/hooks/aws", EC2_EVENT.replace(remove, ""), { "x-api-key": "k-2026-new" });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors).toEqual([
      expect.objectContaining({ pointer: `/${field}`, code }),
    ]);
  });

  it("answers 400 naming resources when they are not a list of ARNs", async () => {
    t = sourceGateway(bridge(API_KEY), NOW_MS);
    const body = EC2_EVENT.replace(/"resources":\[[^\]]*\]/, '"resources":"arn:aws:ec2:x"');
    const response = await t.post("/hooks/aws", body, { "x-api-key": "k-2026-new" });
    expect((await problemOf(response)).errors?.[0]?.pointer).toBe("/resources");
  });

  it("answers 400 for a list: an API destination sends one event", async () => {
    t = sourceGateway(bridge(API_KEY), NOW_MS);
    const response = await t.post("/hooks/aws", `[${EC2_EVENT}]`, { "x-api-key": "k-2026-new" });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors?.[0]?.code).toBe("not-an-object");
  });
});

describe("eventbridge: authorization", () => {
  it("Basic: accepts the connection's username and password, refuses others", async () => {
    t = sourceGateway(bridge({ basic: { username: "eventbridge", password: "pa55:word" } }), NOW_MS);
    expect(
      (await t.post("/hooks/aws", EC2_EVENT, { authorization: basic("eventbridge", "pa55:word") })).status,
    ).toBe(202);
    await expectRefused(
      await t.post("/hooks/aws", EC2_EVENT, { authorization: basic("eventbridge", "pa55:wort") }),
      /username and password do not match/,
    );
    await expectRefused(await t.post("/hooks/aws", EC2_EVENT), /no Authorization: Basic/);
  });

  it("API key: accepts either configured value, refuses another", async () => {
    t = sourceGateway(bridge(API_KEY), NOW_MS);
    expect((await t.post("/hooks/aws", EC2_EVENT, { "x-api-key": "k-2026-old" })).status).toBe(202);
    await expectRefused(
      await t.post("/hooks/aws", EC2_EVENT, { "x-api-key": "k-2026" }),
      /matches none of the 2 keys/,
    );
    await expectRefused(await t.post("/hooks/aws", EC2_EVENT), /no X-Api-Key header/);
  });

  it("OAuth client credentials: checks the access token as a JWT of the authorization server", async () => {
    const oauth = {
      issuer: "https://login.example.com/",
      audience: "https://gateway.example.com",
      jwksUrl: provider.jwksUrl(),
    };
    t = sourceGateway(bridge({ oauth }), NOW_MS);
    const token = (claims: Record<string, unknown>) =>
      signToken(provider.key(), {
        iss: oauth.issuer,
        aud: oauth.audience,
        sub: "eventbridge-connection",
        ...claims,
      });
    expect(
      (await t.post("/hooks/aws", EC2_EVENT, { authorization: `Bearer ${await token({})}` })).status,
    ).toBe(202);
    await expectRefused(
      await t.post("/hooks/aws", EC2_EVENT, {
        authorization: `Bearer ${await token({ aud: "https://other" })}`,
      }),
      /aud/,
    );
  });

  it("OAuth: requiredClaims pins the token to the connection's client", async () => {
    const oauth = {
      issuer: "https://login.example.com/",
      audience: "https://gateway.example.com",
      jwksUrl: provider.jwksUrl(),
      requiredClaims: { client_id: "eventbridge-connection" },
    };
    t = sourceGateway(bridge({ oauth }), NOW_MS);
    const token = (client_id: string) =>
      signToken(provider.key(), { iss: oauth.issuer, aud: oauth.audience, sub: client_id, client_id });
    const answer = await t.post("/hooks/aws", EC2_EVENT, {
      authorization: `Bearer ${await token("eventbridge-connection")}`,
    });
    expect(answer.status).toBe(202);
    await expectRefused(
      await t.post("/hooks/aws", EC2_EVENT, { authorization: `Bearer ${await token("another-client")}` }),
      /"client_id" claim is not "eventbridge-connection"/,
    );
  });
});
