/**
 * The fake OAuth2 token endpoint (service-account JWT bearer grant) and the
 * REST twin's bearer-token check: signature, audience, issuer, lifetime and
 * scope checks, token counting, expiry and revocation.
 */
import { exportSPKI, generateKeyPair, type JWTPayload, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakePubsub, startFakePubsub } from "../support/fake-pubsub/index.js";

const EMAIL = "gateway@p.iam.gserviceaccount.com";
const SCOPE = "https://www.googleapis.com/auth/pubsub";

describe("fake Pub/Sub token endpoint and REST auth", () => {
  let fake: FakePubsub;
  let privateKey: CryptoKey;
  let otherKey: CryptoKey;

  // The claims a service-account client sends; `claims` overrides them.
  const sign = (claims: JWTPayload = {}, key = privateKey, aud = fake.tokenUrl) => {
    const iat = Math.floor(Date.now() / 1000);
    return new SignJWT({ iss: EMAIL, aud, scope: SCOPE, iat, exp: iat + 3600, ...claims })
      .setProtectedHeader({ alg: "RS256", typ: "JWT" })
      .sign(key);
  };
  const requestToken = (assertion: string, grantType = "urn:ietf:params:oauth:grant-type:jwt-bearer") =>
    fetch(fake.tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: grantType, assertion }).toString(),
    });
  const publishWith = (authorization?: string) =>
    fetch(`${fake.restUrl}/v1/projects/p/topics/events:publish`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
      body: JSON.stringify({ messages: [{ data: Buffer.from("x").toString("base64") }] }),
    });

  beforeAll(async () => {
    const pair = await generateKeyPair("RS256", { extractable: true });
    privateKey = pair.privateKey;
    otherKey = (await generateKeyPair("RS256")).privateKey;
    fake = await startFakePubsub({
      topics: ["events"],
      tokenPublicKey: await exportSPKI(pair.publicKey),
      tokenIssuer: EMAIL,
      expectToken: "issued",
    });
  });
  afterAll(async () => {
    await fake?.close();
  });

  it("issues a token for a valid JWT and accepts it on publish", async () => {
    const res = await requestToken(await sign());
    expect(res.status).toBe(200);
    const body = (await res.json()) as { access_token: string; expires_in: number; token_type: string };
    expect(body).toMatchObject({ expires_in: 3600, token_type: "Bearer" });
    expect(fake.tokensIssued()).toBe(1);

    expect((await publishWith(`Bearer ${body.access_token}`)).status).toBe(200);
    expect(fake.restRequests().at(-1)?.authorization).toBe(`Bearer ${body.access_token}`);
  });

  it("also accepts Google's token URL as audience", async () => {
    const res = await requestToken(await sign({}, privateKey, "https://oauth2.googleapis.com/token"));
    expect(res.status).toBe(200);
  });

  it("answers 401 UNAUTHENTICATED without a token or with an unknown one", async () => {
    for (const auth of [undefined, "Bearer ya29.made-up"]) {
      const res = await publishWith(auth);
      expect(res.status).toBe(401);
      const { error } = (await res.json()) as { error: { code: number; status: string } };
      expect(error).toMatchObject({ code: 401, status: "UNAUTHENTICATED" });
    }
  });

  it("refuses bad grants with OAuth2 errors and issues nothing", async () => {
    const before = fake.tokensIssued();
    const refusals: [Promise<Response>, string, string][] = [
      [requestToken(await sign({}, otherKey)), "invalid_grant", "Signature"],
      [requestToken(await sign({}, privateKey, "https://example.com/token")), "invalid_grant", "aud"],
      [requestToken(await sign({ iss: "someone@else.iam.gserviceaccount.com" })), "invalid_grant", "iss"],
      [
        requestToken(await sign({ scope: "https://www.googleapis.com/auth/devstorage.read_only" })),
        "invalid_scope",
        "scope",
      ],
      [
        requestToken(await sign({ exp: Math.floor(Date.now() / 1000) + 7200 })),
        "invalid_grant",
        "60 minutes",
      ],
      [requestToken(await sign(), "client_credentials"), "unsupported_grant_type", "client_credentials"],
      [requestToken("not-a-jwt"), "invalid_grant", "Invalid JWT"],
    ];
    for (const [response, error, description] of refusals) {
      const res = await response;
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: string; error_description: string };
      expect(body.error).toBe(error);
      expect(body.error_description).toContain(description);
    }
    expect(fake.tokensIssued()).toBe(before);
  });

  it("honours a configured lifetime, expiry and revocation", async () => {
    fake.setTokenExpiresIn(1);
    const short = (await (await requestToken(await sign())).json()) as {
      access_token: string;
      expires_in: number;
    };
    expect(short.expires_in).toBe(1);
    expect((await publishWith(`Bearer ${short.access_token}`)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await publishWith(`Bearer ${short.access_token}`)).status).toBe(401);

    fake.setTokenExpiresIn(3600);
    const long = (await (await requestToken(await sign())).json()) as { access_token: string };
    expect((await publishWith(`Bearer ${long.access_token}`)).status).toBe(200);
    fake.revokeTokens();
    expect((await publishWith(`Bearer ${long.access_token}`)).status).toBe(401);
  });
});
