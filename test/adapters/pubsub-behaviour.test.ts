/**
 * Pub/Sub specifics beyond the contract: ordering keys (order per key under
 * concurrency, resumed after a failure), UNAVAILABLE as retriable, limits
 * and the structured fallback through the adapter, and OAuth2 tokens for the
 * REST client (cached, refreshed), against the local Pub/Sub server (which
 * can inject failures). pubsub-emulator.test.ts runs against Google's emulator.
 */
process.env.METADATA_SERVER_DETECTION = "none";

import { exportPKCS8, exportSPKI, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PubsubOptions } from "../../adapters/pubsub/index.js";
import { createNodePubsubAdapter } from "../../adapters/pubsub/node/target.js";
import { portableRuntime } from "../../src/adapter/default-runtime.js";
import { STRUCTURED_CONTENT_TYPE } from "../../src/bindings/pubsub/encode.js";
import { createCloudEvent } from "../../src/event/cloud-event.js";
import { attemptOptions } from "../support/attempt.js";
import { type FakePubsub, startFakePubsub } from "../support/fake-pubsub/index.js";

let fake: FakePubsub;
let keyJson: string;

beforeAll(async () => {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  fake = await startFakePubsub({
    projectId: "p",
    topics: ["orders", "big"],
    tokenPublicKey: await exportSPKI(publicKey),
    expectToken: "issued",
  });
  keyJson = JSON.stringify({
    client_email: "gateway@p.iam.gserviceaccount.com",
    private_key: await exportPKCS8(privateKey),
    token_uri: fake.tokenUrl,
  });
}, 30_000);
afterAll(() => fake?.close());

const options = attemptOptions;
const event = (id: string, extensions: [string, string][] = []) =>
  createCloudEvent({
    attributes: { specversion: "1.0", id, source: "/s", type: "t" },
    extensions: new Map(extensions),
  });

describe.each(["grpc", "rest"] as const)("Pub/Sub over %s", (api) => {
  const adapter = (extra: Partial<PubsubOptions> = {}) =>
    createNodePubsubAdapter(
      {
        projectId: "p",
        topic: "orders",
        api,
        apiEndpoint: api === "rest" ? fake.restUrl : fake.grpcHost,
        timeoutMs: 2_000,
        ...(api === "rest" ? { credentials: { keyJson } } : {}),
        ...extra,
      },
      portableRuntime(),
    );

  it("keeps per-key order under concurrency, the partitionkey extension as the default key", async () => {
    fake.reset?.();
    const a = adapter();
    const publishes = [];
    for (let i = 0; i < 30; i++) {
      const key = `k${i % 3}`;
      publishes.push(a.publish([{ event: event(`${api}-o-${i}`, [["partitionkey", key]]) }], options()));
    }
    const outcomes = (await Promise.all(publishes)).flat();
    expect(outcomes.every((o) => o.status === "acked")).toBe(true);
    const messages = fake
      .messages("orders")
      .filter((m) => (m.attributes["ce-id"] ?? "").startsWith(`${api}-o-`));
    for (const key of ["k0", "k1", "k2"]) {
      const ids = messages
        .filter((m) => m.orderingKey === key)
        .map((m) => Number(m.attributes["ce-id"]?.split("-").at(-1)));
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
      expect(ids).toHaveLength(10);
    }
    await a.close();
  });

  it("resumes a key after a failed publish, so its later events are not stuck", async () => {
    const a = adapter();
    fake.failOrderingKey("stuck", "INVALID_ARGUMENT", "refused once");
    const [first] = await a.publish([{ event: event(`${api}-s-1`), orderingKey: "stuck" }], options());
    expect(first?.status).toBe("terminal");
    const [second] = await a.publish([{ event: event(`${api}-s-2`), orderingKey: "stuck" }], options());
    expect(second?.status).toBe("acked");
    await a.close();
  });

  it("gives retriable while the service answers UNAVAILABLE, and acks once it is back", async () => {
    const a = adapter({ timeoutMs: 800 });
    fake.failNext("UNAVAILABLE", 10_000);
    const [during] = await a.publish([{ event: event(`${api}-u-1`) }], options(800));
    expect(during?.status).toBe("retriable");
    fake.failNext("UNAVAILABLE", 0);
    fake.reset?.();
    await a.close();
  });

  it("sends an event binary mode cannot carry (over 100 attributes) structured, never truncated", async () => {
    const a = adapter({ topic: "big" });
    const many = Array.from({ length: 101 }, (_, i): [string, string] => [`x${i}`, "v"]);
    const [outcome] = await a.publish([{ event: event(`${api}-big`, many) }], options());
    expect(outcome?.status).toBe("acked");
    const stored = fake
      .messages("big")
      .find((m) => new TextDecoder().decode(m.data).includes(`"${api}-big"`));
    expect(stored?.attributes).toEqual({ "content-type": STRUCTURED_CONTENT_TYPE });
    await a.close();
  });
});

describe("REST access tokens", () => {
  it("signs a JWT once, reuses the token until near expiry, then gets a new one", async () => {
    const before = fake.tokensIssued();
    const a = createNodePubsubAdapter(
      { projectId: "p", topic: "orders", api: "rest", apiEndpoint: fake.restUrl, credentials: { keyJson } },
      portableRuntime(),
    );
    for (let i = 0; i < 3; i++)
      expect((await a.publish([{ event: event(`tok-${i}`) }], options()))[0]?.status).toBe("acked");
    expect(fake.tokensIssued() - before).toBe(1);
    await a.close();

    fake.setTokenExpiresIn(30); // within the refresh margin: every use fetches a new one
    const b = createNodePubsubAdapter(
      { projectId: "p", topic: "orders", api: "rest", apiEndpoint: fake.restUrl, credentials: { keyJson } },
      portableRuntime(),
    );
    await b.publish([{ event: event("tok-a") }], options());
    await b.publish([{ event: event("tok-b") }], options());
    expect(fake.tokensIssued() - before).toBe(3);
    fake.setTokenExpiresIn(3600);
    await b.close();
  });

  it("answers terminal when the token endpoint refuses the key", async () => {
    const { privateKey: stranger } = await generateKeyPair("RS256", { extractable: true });
    const bad = JSON.stringify({ ...JSON.parse(keyJson), private_key: await exportPKCS8(stranger) });
    const a = createNodePubsubAdapter(
      {
        projectId: "p",
        topic: "orders",
        api: "rest",
        apiEndpoint: fake.restUrl,
        credentials: { keyJson: bad },
      },
      portableRuntime(),
    );
    const [outcome] = await a.publish([{ event: event("tok-bad") }], options());
    expect(outcome?.status).toBe("terminal");
    await a.close();
  });
});
