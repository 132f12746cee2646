import { Webhook } from "standardwebhooks";
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

const secretOf = (key: string) => `whsec_${Buffer.from(key).toString("base64")}`;
const OLD_SECRET = secretOf("billing-signing-key-2025-q4");
const NEW_SECRET = secretOf("billing-signing-key-2026-q1");

const billing = (secrets: string[], extra: Record<string, unknown> = {}): GatewayConfig => ({
  ingest: {
    sources: [
      {
        path: "/hooks/billing",
        type: "standard-webhooks",
        secrets,
        ...extra,
        event: {
          type: "body.type",
          source: "'https://billing.example.com'",
          subject: "body.data.id",
        },
      },
    ],
  },
});

// A payload shaped as the specification recommends: type, timestamp (the event's time) and data.
const PAYLOAD =
  '{"type":"invoice.paid","timestamp":"2026-11-30T09:59:41.512Z","data":{"id":"in_1Nq8","customer":"cus_77","amount_paid":1250,"currency":"eur"}}';
const MSG_ID = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";

/** The three headers a Standard Webhooks sender adds, signed by the reference library. */
function signed(
  secret: string,
  body = PAYLOAD,
  options: { id?: string; at?: number } = {},
): Record<string, string> {
  const id = options.id ?? MSG_ID;
  const at = options.at ?? NOW_S - 2;
  return {
    "webhook-id": id,
    "webhook-timestamp": String(at),
    "webhook-signature": new Webhook(secret).sign(id, new Date(at * 1000), body),
  };
}

let t: SourceGateway;
afterEach(async () => {
  await t?.gateway.close();
});

async function expectRefused(response: Response, reason: RegExp) {
  expect(response.status).toBe(401);
  const problem = await problemOf(response);
  expect(problem.code).toBe("source-unauthenticated");
  // The answer says nothing of why; the log does.
  expect(problem.detail).toBe("The request's signature could not be verified");
  expect(t.refusals().at(-1)).toMatch(reason);
  expect(t.received()).toEqual([]);
}

describe("standard-webhooks source", () => {
  it("verifies a signed webhook and maps it, with webhook-id as the id and the body as data", async () => {
    t = sourceGateway(billing([NEW_SECRET]), NOW_MS);
    const response = await t.post("/hooks/billing", PAYLOAD, signed(NEW_SECRET));
    expect(response.status).toBe(202);
    const [event] = t.received();
    // No time: webhook-timestamp is when this attempt was sent, not when the invoice was paid.
    expect(event?.attributes).toEqual({
      specversion: "1.0",
      id: MSG_ID,
      source: "https://billing.example.com",
      type: "invoice.paid",
      subject: "in_1Nq8",
      datacontenttype: "application/json",
    });
    expect(new TextDecoder().decode(event?.data?.bytes)).toBe(PAYLOAD);
  });

  it("gives a retried delivery (new timestamp, new signature) the same id, so it is deduplicated", async () => {
    t = sourceGateway(billing([NEW_SECRET]), NOW_MS);
    await t.post("/hooks/billing", PAYLOAD, signed(NEW_SECRET, PAYLOAD, { at: NOW_S - 200 }));
    await t.post("/hooks/billing", PAYLOAD, signed(NEW_SECRET, PAYLOAD, { at: NOW_S - 1 }));
    expect(t.received().map((e) => e.attributes.id)).toEqual([MSG_ID, MSG_ID]);
  });

  it("maps time when asked to, and a mapped id takes the place of webhook-id", async () => {
    t = sourceGateway(
      {
        ingest: {
          sources: [
            {
              path: "/hooks/billing",
              type: "standard-webhooks",
              secrets: [NEW_SECRET],
              event: {
                type: "body.type",
                source: "'https://billing.example.com'",
                id: "body.data.id",
                time: "body.timestamp",
              },
            },
          ],
        },
      },
      NOW_MS,
    );
    expect((await t.post("/hooks/billing", PAYLOAD, signed(NEW_SECRET))).status).toBe(202);
    expect(t.received()[0]?.attributes).toMatchObject({ id: "in_1Nq8", time: "2026-11-30T09:59:41.512Z" });
  });

  it("refuses a signature made with another secret", async () => {
    t = sourceGateway(billing([NEW_SECRET]), NOW_MS);
    await expectRefused(
      await t.post("/hooks/billing", PAYLOAD, signed(secretOf("someone-else's-key"))),
      /no v1 signature .* matches any of the 1 secrets/,
    );
  });

  it("refuses a body changed after signing", async () => {
    t = sourceGateway(billing([NEW_SECRET]), NOW_MS);
    const headers = signed(NEW_SECRET);
    await expectRefused(
      await t.post("/hooks/billing", PAYLOAD.replace("1250", "125000"), headers),
      /no v1 signature/,
    );
  });

  it.each(["webhook-id", "webhook-timestamp", "webhook-signature"])(
    "refuses a request without %s: a sender that does not sign is not proven",
    async (header) => {
      t = sourceGateway(billing([NEW_SECRET]), NOW_MS);
      const headers = signed(NEW_SECRET);
      delete headers[header];
      await expectRefused(
        await t.post("/hooks/billing", PAYLOAD, headers),
        new RegExp(`no ${header} header`),
      );
    },
  );

  it.each([
    ["too old", NOW_S - 301, /301 s older than the arrival time \(tolerance 300 s\)/],
    ["too far in the future", NOW_S + 301, /301 s ahead of the arrival time/],
    ["not whole seconds", "1796032800.5", /not whole epoch seconds/],
    ["in milliseconds", String(NOW_MS), /ahead of the arrival time/],
  ])("refuses a timestamp %s, even when correctly signed", async (_what, at, reason) => {
    t = sourceGateway(billing([NEW_SECRET]), NOW_MS);
    const headers = signed(NEW_SECRET, PAYLOAD, { at: Number.parseInt(String(at), 10) });
    headers["webhook-timestamp"] = String(at);
    await expectRefused(await t.post("/hooks/billing", PAYLOAD, headers), reason);
  });

  it("accepts timestamps at the edge of the tolerance, and takes a tolerance of its own", async () => {
    t = sourceGateway(billing([NEW_SECRET]), NOW_MS);
    expect(
      (await t.post("/hooks/billing", PAYLOAD, signed(NEW_SECRET, PAYLOAD, { at: NOW_S - 300 }))).status,
    ).toBe(202);
    expect(
      (await t.post("/hooks/billing", PAYLOAD, signed(NEW_SECRET, PAYLOAD, { at: NOW_S + 300 }))).status,
    ).toBe(202);
    await t.gateway.close();
    t = sourceGateway(billing([NEW_SECRET], { toleranceSeconds: 30 }), NOW_MS);
    await expectRefused(
      await t.post("/hooks/billing", PAYLOAD, signed(NEW_SECRET, PAYLOAD, { at: NOW_S - 31 })),
      /tolerance 30 s/,
    );
  });

  it("accepts either secret while both are configured, and refuses one that was removed", async () => {
    t = sourceGateway(billing([OLD_SECRET, NEW_SECRET]), NOW_MS);
    expect((await t.post("/hooks/billing", PAYLOAD, signed(OLD_SECRET))).status).toBe(202);
    expect((await t.post("/hooks/billing", PAYLOAD, signed(NEW_SECRET))).status).toBe(202);
    await t.gateway.close();
    t = sourceGateway(billing([NEW_SECRET]), NOW_MS);
    await expectRefused(await t.post("/hooks/billing", PAYLOAD, signed(OLD_SECRET)), /no v1 signature/);
  });

  it("takes a bare base64 secret (no whsec_ prefix) as the same key", async () => {
    t = sourceGateway(billing([NEW_SECRET.slice("whsec_".length)]), NOW_MS);
    expect((await t.post("/hooks/billing", PAYLOAD, signed(NEW_SECRET))).status).toBe(202);
  });

  it("passes when any of several signatures matches, ignoring other versions", async () => {
    t = sourceGateway(billing([NEW_SECRET]), NOW_MS);
    const good = signed(NEW_SECRET);
    const stale = signed(OLD_SECRET)["webhook-signature"];
    const headers = {
      ...good,
      // An asymmetric v1a signature, the sender's old key, then the current one.
      "webhook-signature": `v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZdpXwVLPo3mNl8EM+m7TBAg== ${stale} ${good["webhook-signature"]}`,
    };
    expect((await t.post("/hooks/billing", PAYLOAD, headers)).status).toBe(202);
  });

  it("reads a webhook-signature header sent twice (joined with a comma) as both lists", async () => {
    t = sourceGateway(billing([NEW_SECRET]), NOW_MS);
    const good = signed(NEW_SECRET);
    const stale = signed(OLD_SECRET)["webhook-signature"];
    const request = new Headers({ ...good });
    request.delete("webhook-signature");
    request.append("webhook-signature", good["webhook-signature"] as string);
    request.append("webhook-signature", stale as string);
    expect(request.get("webhook-signature")).toContain(", ");
    expect((await t.post("/hooks/billing", PAYLOAD, Object.fromEntries(request))).status).toBe(202);
  });

  it("refuses a header with only other versions, or more signatures than it checks", async () => {
    t = sourceGateway(billing([NEW_SECRET]), NOW_MS);
    const good = signed(NEW_SECRET);
    await expectRefused(
      await t.post("/hooks/billing", PAYLOAD, { ...good, "webhook-signature": "v1a,AAAA v2,BBBB" }),
      /no v1 signature/,
    );
    const many = Array.from({ length: 8 }, () => signed(OLD_SECRET)["webhook-signature"]).join(" ");
    await expectRefused(
      await t.post("/hooks/billing", PAYLOAD, {
        ...good,
        "webhook-signature": `${many} ${good["webhook-signature"]}`,
      }),
      /9 v1 signatures; at most 8/,
    );
  });

  it("checks the signature before reading the body", async () => {
    t = sourceGateway(billing([NEW_SECRET]), NOW_MS);
    await expectRefused(
      await t.post("/hooks/billing", "{not json", signed(OLD_SECRET, "{not json")),
      /no v1/,
    );
    const bad = await t.post("/hooks/billing", "{not json", signed(NEW_SECRET, "{not json"));
    expect(bad.status).toBe(400);
    expect((await problemOf(bad)).code).toBe("malformed-body");
  });

  it.each([
    ["a body without the mapped type", '{"data":{"id":"in_1"}}', "/type", "unmapped-attribute"],
    ["an object where a string belongs", '{"type":{"name":"invoice.paid"}}', "/type", "unmappable-value"],
    ["a list instead of one object", '[{"type":"invoice.paid"}]', "", "not-an-object"],
  ])("answers 400 for %s, naming the attribute", async (_what, body, pointer, code) => {
    t = sourceGateway(billing([NEW_SECRET]), NOW_MS);
    const response = await t.post("/hooks/billing", body, signed(NEW_SECRET, body));
    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem.errors).toEqual([expect.objectContaining({ pointer, code })]);
    expect(t.received()).toEqual([]);
  });
});

describe("standard-webhooks source in the config", () => {
  const config = (...source: string[]) =>
    [
      "targets: { out: { type: stdout } }",
      "routes: [{ name: all, to: [out] }]",
      "ingest:",
      "  sources:",
      "    - path: /hooks/billing",
      "      type: standard-webhooks",
      ...source,
      "",
    ].join("\n");

  const issuesOf = (text: string): ConfigIssue[] =>
    configIssues(text, { env: { BILLING_WEBHOOK_SECRET: NEW_SECRET } });

  it("accepts the documented config", () => {
    const parsed = parseConfig(
      config(
        '      secrets: ["${env:BILLING_WEBHOOK_SECRET}"]',
        "      toleranceSeconds: 300",
        "      event:",
        '        type: "body.type"',
        "        source: \"'https://billing.example.com'\"",
        '        subject: "body.data.id"',
      ),
      { catalog: nodeTargets, env: { BILLING_WEBHOOK_SECRET: NEW_SECRET } },
    );
    expect(parsed.ingest?.sources?.[0]).toMatchObject({ type: "standard-webhooks", secrets: [NEW_SECRET] });
  });

  it("refuses a secret that is not base64, without repeating it", () => {
    const issues = issuesOf(
      config(
        '      secrets: ["${env:BILLING_WEBHOOK_SECRET}", "whsec_not-base64!"]',
        "      event: { type: body.type, source: \"'/billing'\" }",
      ),
    );
    expect(issues).toEqual([
      expect.objectContaining({
        path: "ingest.sources[0].secrets[1]",
        message: expect.stringMatching(/whsec_/),
      }),
    ]);
    expect(issues[0]?.message).not.toContain("not-base64");
  });

  it.each([
    [
      ['      secrets: ["whsec_AAAA"]', "      event: { type: body.type }"],
      "ingest.sources[0].event",
      /source/,
    ],
    [["      event: { type: body.type, source: \"'/b'\" }"], "ingest.sources[0]", /secrets/],
    [
      [
        '      secrets: ["whsec_AAAA"]',
        "      toleranceSeconds: 0",
        "      event: { type: body.type, source: \"'/b'\" }",
      ],
      "ingest.sources[0].toleranceSeconds",
      />= 1/,
    ],
    [
      ["      secrets: []", "      event: { type: body.type, source: \"'/b'\" }"],
      "ingest.sources[0].secrets",
      /fewer than 1/,
    ],
  ])("refuses %j at %s", (lines, path, message) => {
    expect(issuesOf(config(...lines))).toContainEqual(
      expect.objectContaining({ path, message: expect.stringMatching(message) }),
    );
  });
});
