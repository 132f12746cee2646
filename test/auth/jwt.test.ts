/**
 * JWT bearer tokens at ingress, in-process, against a local JWKS server:
 * signature (static keys, then the JWKS), claims, key rotation, an
 * unreachable JWKS, refused algorithms, grants, and API keys beside JWTs.
 */
import { createHash, createPublicKey } from "node:crypto";
import { SignJWT } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { JwtConfig } from "../../src/auth/auth-config.js";
import type { GatewayConfig } from "../../src/config/gateway-config.js";
import { problemOf, STRUCTURED, structuredEvent, testGateway } from "../support/gateway.js";
import {
  type JwksServer,
  nowSeconds,
  type SigningKey,
  signingKey,
  signToken,
  startJwksServer,
} from "../support/jwks-server.js";

const ISSUER = "https://login.example.test/";
const AUDIENCE = "ce-gateway";
const API_KEY = "ceg_jwt_suite_0a1b2c3d4e5f";

let idp: JwksServer;
let current: SigningKey;
let rotated: SigningKey;
let staticKey: SigningKey;

beforeAll(async () => {
  [current, rotated, staticKey] = await Promise.all([
    signingKey("current"),
    signingKey("rotated", "RS256"),
    signingKey("static", "EdDSA"),
  ]);
  idp = await startJwksServer([current]);
});

afterAll(async () => {
  await idp?.close();
});

afterEach(() => {
  vi.useRealTimers();
  idp.serve([current]);
  idp.failing(false);
});

const jwtConfig = (overrides: Partial<JwtConfig> = {}): GatewayConfig => ({
  auth: {
    jwt: {
      jwksUrl: idp.url,
      issuer: ISSUER,
      audience: AUDIENCE,
      requiredClaims: { tenant: "acme" },
      ...overrides,
    },
  },
});

const claims = (extra: Record<string, unknown> = {}) => ({
  iss: ISSUER,
  aud: AUDIENCE,
  sub: "svc-orders",
  tenant: "acme",
  ...extra,
});

const publish = (t: ReturnType<typeof testGateway>, token: string, event = structuredEvent()) =>
  t.post({ headers: { ...STRUCTURED, authorization: `Bearer ${token}` }, body: JSON.stringify(event) });

async function expectUnauthenticated(response: Response): Promise<void> {
  expect(response.status).toBe(401);
  expect((await problemOf(response)).code).toBe("unauthenticated");
}

describe("JWT bearer tokens", () => {
  it("accepts a valid token signed by a key of the JWKS", async () => {
    const t = testGateway(jwtConfig());
    const response = await publish(t, await signToken(current, claims()));
    expect(response.status).toBe(202);
    expect(t.received()).toHaveLength(1);
  });

  it("accepts the token as access_token in the query too", async () => {
    const t = testGateway(jwtConfig());
    const token = await signToken(current, claims());
    const response = (await t.gateway.request(`/events?access_token=${token}`, {
      method: "POST",
      headers: STRUCTURED,
      body: JSON.stringify(structuredEvent()),
    })) as Response;
    expect(response.status).toBe(202);
  });

  it.each([
    ["another issuer", { iss: "https://evil.example.test/" }],
    ["another audience", { aud: "someone-else" }],
    ["an expired token", { exp: nowSeconds() - 120 }],
    ["a token not valid before a time to come", { nbf: nowSeconds() + 300 }],
    ["no exp", { exp: undefined }],
    ["no required claim", { tenant: undefined }],
    ["a required claim with another value", { tenant: "globex" }],
    ["no principal claim", { sub: undefined }],
  ])("refuses %s with 401, telling nothing", async (_name, extra) => {
    const t = testGateway(jwtConfig());
    const payload: Record<string, unknown> = claims(extra);
    for (const [name, value] of Object.entries(payload))
      if (value === undefined && name !== "exp") delete payload[name];
    const response = await publish(t, await signToken(current, payload));
    await expectUnauthenticated(response);
    expect(t.received()).toEqual([]);
  });

  it("answers a bad token exactly as a missing credential", async () => {
    const t = testGateway(jwtConfig());
    const bad = await publish(t, await signToken(current, claims({ iss: "https://evil.example.test/" })));
    const none = await t.post({ headers: STRUCTURED, body: JSON.stringify(structuredEvent()) });
    const strip = (p: object) => ({ ...p, instance: undefined });
    expect(strip(await problemOf(bad))).toEqual(strip(await problemOf(none)));
  });

  it("honours the clock skew for exp and nbf, and no more", async () => {
    const lenient = testGateway(jwtConfig({ clockSkewSeconds: 60 }));
    expect(
      (await publish(lenient, await signToken(current, claims({ exp: nowSeconds() - 20 })))).status,
    ).toBe(202);
    expect(
      (await publish(lenient, await signToken(current, claims({ nbf: nowSeconds() + 20 })))).status,
    ).toBe(202);
    await expectUnauthenticated(
      await publish(lenient, await signToken(current, claims({ exp: nowSeconds() - 300 }))),
    );
    const strict = testGateway(jwtConfig({ clockSkewSeconds: 0 }));
    await expectUnauthenticated(
      await publish(strict, await signToken(current, claims({ exp: nowSeconds() - 20 }))),
    );
    await expectUnauthenticated(
      await publish(strict, await signToken(current, claims({ nbf: nowSeconds() + 20 }))),
    );
  });

  it("takes the principal from principalClaim", async () => {
    const t = testGateway(jwtConfig({ principalClaim: "client_id" }));
    await expectUnauthenticated(await publish(t, await signToken(current, claims())));
    expect((await publish(t, await signToken(current, claims({ client_id: "orders-app" })))).status).toBe(
      202,
    );
  });

  it("verifies with a static key without fetching the JWKS", async () => {
    const t = testGateway(jwtConfig({ keys: [staticKey.jwk as Record<string, unknown>] }));
    const before = idp.fetches();
    expect((await publish(t, await signToken(staticKey, claims()))).status).toBe(202);
    expect(idp.fetches()).toBe(before);
    // A static key only: a JWKS key is unknown without a jwksUrl.
    const staticOnly = testGateway(
      jwtConfig({ jwksUrl: undefined, keys: [staticKey.jwk as Record<string, unknown>] }),
    );
    expect((await publish(staticOnly, await signToken(staticKey, claims()))).status).toBe(202);
    await expectUnauthenticated(await publish(staticOnly, await signToken(current, claims())));
  });

  it("refuses a token signed by another key under a known kid", async () => {
    const t = testGateway(jwtConfig());
    const impostor = { ...(await signingKey("current")), jwk: current.jwk };
    await expectUnauthenticated(await publish(t, await signToken(impostor, claims())));
  });

  it("fetches the JWKS again for an unknown kid, at most every 30 seconds, and picks up a rotated key", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    const t = testGateway(jwtConfig());
    const before = idp.fetches();
    expect((await publish(t, await signToken(current, claims()))).status).toBe(202);
    expect(idp.fetches()).toBe(before + 1);
    // The issuer starts signing with a key the gateway has not seen: it is not published yet.
    await expectUnauthenticated(await publish(t, await signToken(rotated, claims())));
    expect(idp.fetches()).toBe(before + 1);
    idp.serve([current, rotated]);
    // Published now, but the set was fetched moments ago: no fetch yet, whatever the kid.
    await expectUnauthenticated(await publish(t, await signToken(rotated, claims())));
    expect(idp.fetches()).toBe(before + 1);
    vi.setSystemTime(Date.now() + 31_000);
    expect((await publish(t, await signToken(rotated, claims()))).status).toBe(202);
    expect(idp.fetches()).toBe(before + 2);
    // Known keys need no fetch.
    expect((await publish(t, await signToken(current, claims()))).status).toBe(202);
    expect(idp.fetches()).toBe(before + 2);
  });

  it("answers 503 auth-unavailable with Retry-After when the JWKS cannot be fetched", async () => {
    idp.failing(true);
    const t = testGateway(jwtConfig());
    const response = await publish(t, await signToken(current, claims()));
    expect(response.status).toBe(503);
    expect((await problemOf(response)).code).toBe("auth-unavailable");
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(t.received()).toEqual([]);
    // Backing off: the next token does not fetch again.
    const fetches = idp.fetches();
    expect((await publish(t, await signToken(current, claims()))).status).toBe(503);
    expect(idp.fetches()).toBe(fetches);
  });

  it("answers 503 when the JWKS server is gone, and keeps verifying with keys it has", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    const own = await startJwksServer([current]);
    const t = testGateway(jwtConfig({ jwksUrl: own.url }));
    expect((await publish(t, await signToken(current, claims()))).status).toBe(202);
    await own.close();
    vi.setSystemTime(Date.now() + 31_000);
    expect((await publish(t, await signToken(current, claims()))).status).toBe(202);
    const unknownKid = await publish(t, await signToken(rotated, claims()));
    expect(unknownKid.status).toBe(503);
    expect((await problemOf(unknownKid)).code).toBe("auth-unavailable");
    expect(unknownKid.headers.get("retry-after")).not.toBeNull();
    // Keys are kept at most 10 minutes: after that even a known key needs the JWKS.
    vi.setSystemTime(Date.now() + 601_000);
    expect((await publish(t, await signToken(current, claims()))).status).toBe(503);
  });

  it("refuses alg none and HS256 signed with the public key, without fetching anything", async () => {
    const t = testGateway(jwtConfig({ keys: [staticKey.jwk as Record<string, unknown>] }));
    const before = idp.fetches();
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const payload = { ...claims(), exp: nowSeconds() + 3600 };
    const unsigned = `${encode({ alg: "none", kid: "current" })}.${encode(payload)}.`;
    // An empty signature is no JWT shape; with any signature bytes alg none is still refused.
    await expectUnauthenticated(await publish(t, unsigned));
    await expectUnauthenticated(await publish(t, `${unsigned}AAAA`));
    for (const publicKey of [current.jwk, staticKey.jwk]) {
      const pem = createPublicKey({ key: publicKey as never, format: "jwk" }).export({
        type: "spki",
        format: "pem",
      });
      for (const secret of [String(pem), JSON.stringify(publicKey)]) {
        const forged = await new SignJWT(payload)
          .setProtectedHeader({ alg: "HS256", kid: String(publicKey.kid) })
          .sign(new TextEncoder().encode(secret));
        await expectUnauthenticated(await publish(t, forged));
      }
    }
    expect(idp.fetches()).toBe(before);
    expect(t.received()).toEqual([]);
  });

  it("refuses a token whose algorithm is outside `algorithms`", async () => {
    idp.serve([current, rotated]);
    const t = testGateway(jwtConfig({ algorithms: ["RS256"] }));
    const before = idp.fetches();
    await expectUnauthenticated(await publish(t, await signToken(current, claims())));
    expect(idp.fetches()).toBe(before);
    expect((await publish(t, await signToken(rotated, claims()))).status).toBe(202);
  });

  it("holds every JWT principal to auth.jwt.grants", async () => {
    const t = testGateway(
      jwtConfig({ grants: { sources: ["/orders"], types: ["com.example.order.*"], paths: ["/events"] } }),
    );
    const token = await signToken(current, claims());
    const inside = structuredEvent({ source: "/orders/eu", type: "com.example.order.created" });
    expect((await publish(t, token, inside)).status).toBe(202);
    const outside = await publish(
      t,
      token,
      structuredEvent({ source: "/billing", type: "com.example.order.created" }),
    );
    expect(outside.status).toBe(403);
    expect((await problemOf(outside)).errors).toEqual([
      expect.objectContaining({ pointer: "/source", code: "not-granted" }),
    ]);
    const wrongType = await publish(
      t,
      token,
      structuredEvent({ source: "/orders", type: "com.example.refund" }),
    );
    expect((await problemOf(wrongType)).errors).toEqual([
      expect.objectContaining({ pointer: "/type", code: "not-granted" }),
    ]);
    expect(t.received()).toHaveLength(1);
  });

  it("takes API keys and JWTs side by side", async () => {
    const t = testGateway({
      auth: {
        apiKeys: [{ id: "ops", sha256: createHash("sha256").update(API_KEY).digest("hex") }],
        jwt: { jwksUrl: idp.url, issuer: ISSUER, audience: AUDIENCE },
      },
    });
    expect((await publish(t, API_KEY)).status).toBe(202);
    expect((await publish(t, await signToken(current, claims()))).status).toBe(202);
    await expectUnauthenticated(await publish(t, `${API_KEY}x`));
    await expectUnauthenticated(await publish(t, await signToken(current, claims({ aud: "other" }))));
    expect(t.received()).toHaveLength(2);
  });
});
