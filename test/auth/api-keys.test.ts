import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { GatewayConfig } from "../../src/config/gateway-config.js";
import {
  BATCH,
  binaryHeaders,
  problemOf,
  STRUCTURED,
  structuredEvent,
  testGateway,
} from "../support/gateway.js";

const sha256 = (key: string) => createHash("sha256").update(key).digest("hex");
const BILLING_KEY = "ceg_billing_7f3a9c2d41e8b6f0";
const ADMIN_KEY = "ceg_ops_0c1d2e3f4a5b6c7d";

const AUTH: GatewayConfig = {
  auth: {
    apiKeys: [
      {
        id: "billing",
        sha256: sha256(BILLING_KEY),
        grants: { sources: ["/billing"], types: ["com.example.billing.*"], paths: ["/events"] },
      },
      { id: "ops", sha256: sha256(ADMIN_KEY) },
    ],
  },
  ingest: {
    sources: [
      {
        path: "/hooks/plain",
        type: "json",
        event: { type: "'com.example.billing.plain'", source: "'/billing'" },
      },
      {
        path: "/hooks/signed",
        type: "hmac",
        header: "x-signature",
        secrets: ["hook-secret"],
        event: { type: "'t'", source: "'/s'" },
      },
    ],
  },
};

const billingEvent = (overrides: Record<string, unknown> = {}) =>
  structuredEvent({ source: "/billing/eu", type: "com.example.billing.invoiced", ...overrides });

describe("API keys", () => {
  it("refuses a request without a credential with 401, before reading its body", async () => {
    const t = testGateway({ ...AUTH, server: { maxBodyBytes: 65536 } });
    const response = await t.post({ headers: STRUCTURED, body: "x".repeat(200_000) });
    expect(response.status).toBe(401);
    const problem = await problemOf(response);
    expect(problem.code).toBe("unauthenticated");
    expect(t.received()).toEqual([]);
  });

  it("answers a wrong key exactly as a missing one", async () => {
    const t = testGateway(AUTH);
    const body = JSON.stringify(billingEvent());
    const missing = await t.post({ headers: STRUCTURED, body });
    const wrong = await t.post({ headers: { ...STRUCTURED, authorization: `Bearer ${BILLING_KEY}x` }, body });
    expect(wrong.status).toBe(401);
    const strip = (p: Record<string, unknown>) => ({ ...p, instance: undefined });
    expect(strip({ ...(await problemOf(wrong)) })).toEqual(strip({ ...(await problemOf(missing)) }));
  });

  it("accepts a key as a bearer token or as access_token in the query", async () => {
    const t = testGateway(AUTH);
    const body = JSON.stringify(billingEvent());
    expect(
      (await t.post({ headers: { ...STRUCTURED, authorization: `Bearer ${BILLING_KEY}` }, body })).status,
    ).toBe(202);
    const viaQuery = (await t.gateway.request(`/events?access_token=${BILLING_KEY}`, {
      method: "POST",
      headers: STRUCTURED,
      body,
    })) as Response;
    expect(viaQuery.status).toBe(202);
    expect(t.received()).toHaveLength(2);
  });

  it("refuses an event outside the key's grant with 403 naming the attribute", async () => {
    const t = testGateway(AUTH);
    const auth = { authorization: `Bearer ${BILLING_KEY}` };
    const wrongSource = await t.post({
      headers: { ...STRUCTURED, ...auth },
      body: JSON.stringify(billingEvent({ source: "/shop" })),
    });
    expect(wrongSource.status).toBe(403);
    expect((await problemOf(wrongSource)).errors).toEqual([
      expect.objectContaining({ pointer: "/source", code: "not-granted" }),
    ]);
    const wrongType = await t.post({
      headers: { ...binaryHeaders({ "ce-source": "/billing", "ce-type": "com.example.order" }), ...auth },
    });
    expect((await problemOf(wrongType)).errors).toEqual([
      expect.objectContaining({ pointer: "/type", code: "not-granted" }),
    ]);
    expect(t.received()).toEqual([]);
  });

  it("checks a batch event by event and refuses it whole", async () => {
    const t = testGateway(AUTH);
    const batch = [
      billingEvent({ id: "a" }),
      billingEvent({ id: "b", type: "com.example.order" }),
      billingEvent({ id: "c" }),
    ];
    const response = await t.post({
      headers: { ...BATCH, authorization: `Bearer ${BILLING_KEY}` },
      body: JSON.stringify(batch),
    });
    expect(response.status).toBe(403);
    expect((await problemOf(response)).errors?.map((e) => [e.index, e.pointer])).toEqual([[1, "/1/type"]]);
    expect(t.received()).toEqual([]);
  });

  it("keeps a key to its paths; a key without grants may publish anything anywhere", async () => {
    const t = testGateway(AUTH);
    const plain = (key: string) =>
      t.gateway.request("/hooks/plain", {
        method: "POST",
        headers: { authorization: `Bearer ${key}` },
        body: "{}",
      }) as Promise<Response>;
    const refused = await plain(BILLING_KEY);
    expect(refused.status).toBe(403);
    expect((await problemOf(refused)).errors?.[0]?.code).toBe("path-not-granted");
    expect((await plain(ADMIN_KEY)).status).toBe(202);
    expect(
      (
        await t.post({
          headers: { ...STRUCTURED, authorization: `Bearer ${ADMIN_KEY}` },
          body: JSON.stringify(structuredEvent()),
        })
      ).status,
    ).toBe(202);
  });

  it("asks no key on a source that checks its own signature, and one on a source that does not", async () => {
    const t = testGateway(AUTH);
    const body = "{}";
    const signature = createHmac("sha256", "hook-secret").update(body).digest("hex");
    const signed = (await t.gateway.request("/hooks/signed", {
      method: "POST",
      headers: { "x-signature": signature },
      body,
    })) as Response;
    expect(signed.status).toBe(202);
    const unsigned = (await t.gateway.request("/hooks/plain", { method: "POST", body })) as Response;
    expect(unsigned.status).toBe(401);
  });

  it("admits everyone without an auth section, as before", async () => {
    const t = testGateway();
    expect((await t.post({ headers: STRUCTURED, body: JSON.stringify(structuredEvent()) })).status).toBe(202);
  });
});
