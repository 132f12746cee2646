/**
 * JWT bearer tokens on the Worker wrangler builds, run in workerd: a static
 * key compiled into the config, a JWKS fetched from a local server, invalid
 * tokens refused with 401, and an unreachable JWKS answered 503.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../support/cli-process.js";
import { type HttpReceiver, startHttpReceiver } from "../support/http-receiver.js";
import {
  type JwksServer,
  nowSeconds,
  type SigningKey,
  signingKey,
  signToken,
  startJwksServer,
} from "../support/jwks-server.js";
import { runBuiltWorker, workerProblem, wranglerBuild } from "../support/wrangler-build.js";

const ISSUER = "https://login.example.test/";
const AUDIENCE = "ce-gateway-worker";

let receiver: HttpReceiver;
let idp: JwksServer;
let published: SigningKey;
let unpublished: SigningKey;
let staticKey: SigningKey;
let worker: Miniflare;
let workerWithoutJwks: Miniflare;

beforeAll(async () => {
  [published, unpublished, staticKey] = await Promise.all([
    signingKey("published"),
    signingKey("unpublished"),
    signingKey("static", "EdDSA"),
  ]);
  [receiver, idp] = await Promise.all([startHttpReceiver(), startJwksServer([published])]);
  const dir = mkdtempSync(join(tmpdir(), "ce-gateway-jwt-worker-"));
  const configPath = join(dir, "gateway.yaml");
  // JSON is YAML: the static key is written as it is.
  writeFileSync(
    configPath,
    JSON.stringify({
      version: 1,
      targets: { hook: { type: "http", url: "${env:HOOK_URL}/jwt", mode: "structured" } },
      routes: [{ name: "all", to: ["hook"] }],
      auth: {
        jwt: {
          jwksUrl: "${env:JWKS_URL}",
          keys: [staticKey.jwk],
          issuer: ISSUER,
          audience: AUDIENCE,
          requiredClaims: { tenant: "acme" },
        },
      },
    }),
  );
  const build = await wranglerBuild({ gatewayConfig: configPath });
  const nothingListens = `http://127.0.0.1:${await freePort()}/jwks.json`;
  [worker, workerWithoutJwks] = await Promise.all([
    runBuiltWorker(build.outdir, { bindings: { HOOK_URL: receiver.url, JWKS_URL: idp.url } }),
    runBuiltWorker(build.outdir, { bindings: { HOOK_URL: receiver.url, JWKS_URL: nothingListens } }),
  ]);
}, 240_000);

afterAll(async () => {
  await Promise.all([worker?.dispose(), workerWithoutJwks?.dispose(), receiver?.close(), idp?.close()]);
});

let sequence = 0;
const claims = (extra: Record<string, unknown> = {}) => ({
  iss: ISSUER,
  aud: AUDIENCE,
  sub: "svc-worker",
  tenant: "acme",
  ...extra,
});

function send(target: Miniflare, token: string) {
  return target.dispatchFetch("http://gateway/events", {
    method: "POST",
    headers: { "content-type": "application/cloudevents+json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ specversion: "1.0", id: `jwt-${++sequence}`, source: "/worker", type: "t" }),
  });
}

describe("JWT on the built Worker", () => {
  it("accepts a token signed by the static key, without the JWKS", async () => {
    const before = { delivered: receiver.requests.length, fetches: idp.fetches() };
    const response = await send(worker, await signToken(staticKey, claims()));
    expect(response.status, await response.clone().text()).toBe(202);
    expect(receiver.requests.length - before.delivered).toBe(1);
    expect(idp.fetches()).toBe(before.fetches);
  });

  it("accepts a token signed by a key of the JWKS", async () => {
    const before = receiver.requests.length;
    const response = await send(worker, await signToken(published, claims()));
    expect(response.status, await response.clone().text()).toBe(202);
    expect(receiver.requests.length - before).toBe(1);
    expect(idp.fetches()).toBeGreaterThan(0);
  });

  it.each([
    ["another audience", () => signToken(published, claims({ aud: "someone-else" }))],
    ["an expired token", () => signToken(published, claims({ exp: nowSeconds() - 3600 }))],
    ["a missing required claim", () => signToken(published, claims({ tenant: "globex" }))],
    ["a key the JWKS does not publish", () => signToken(unpublished, claims())],
    [
      "a signature by another key under the static kid",
      async () => signToken({ ...(await signingKey("static", "EdDSA")), jwk: staticKey.jwk }, claims()),
    ],
  ])("refuses %s with 401", async (_name, token) => {
    const before = receiver.requests.length;
    const response = await send(worker, await token());
    expect(response.status).toBe(401);
    expect((await workerProblem(response)).code).toBe("unauthenticated");
    expect(receiver.requests.length).toBe(before);
  });

  it("answers 503 auth-unavailable with Retry-After when the JWKS cannot be fetched", async () => {
    const response = await send(workerWithoutJwks, await signToken(published, claims()));
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toMatch(/^\d+$/);
    expect((await workerProblem(response)).code).toBe("auth-unavailable");
    // The static key needs no JWKS.
    expect((await send(workerWithoutJwks, await signToken(staticKey, claims()))).status).toBe(202);
  });
});
