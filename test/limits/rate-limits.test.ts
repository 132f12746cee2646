/**
 * Rate limits at ingress, in process: the global, per-credential and
 * webhook-origin buckets, their refill measured on an injected clock (never
 * the wall clock), the 429 they answer, and the cap on the buckets kept.
 */
import { createHash } from "node:crypto";
import { sign } from "@octokit/webhooks-methods";
import { describe, expect, it } from "vitest";
import type { GatewayConfig } from "../../src/config/gateway-config.js";
import { memoryBucketStore } from "../../src/limits/memory-bucket-store.js";
import { problemOf, STRUCTURED, structuredEvent, testGateway } from "../support/gateway.js";

const sha256 = (key: string) => createHash("sha256").update(key).digest("hex");
const KEY_A = "ceg_rate_a_3f9c1e7b5d";
const KEY_B = "ceg_rate_b_8a2d4c6e0f";

/** A clock the test moves by hand. */
function manualClock(start = 1_750_000_000_000) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

const withKeys = (rateLimits: NonNullable<GatewayConfig["auth"]>["rateLimits"]): GatewayConfig => ({
  auth: {
    apiKeys: [
      { id: "a", sha256: sha256(KEY_A) },
      { id: "b", sha256: sha256(KEY_B) },
    ],
    rateLimits,
  },
});

const event = JSON.stringify(structuredEvent());
const asKey = (key: string) => ({ ...STRUCTURED, authorization: `Bearer ${key}` });

async function expectLimited(response: Response, code: string, retryAfter: string) {
  expect(response.status).toBe(429);
  expect(response.headers.get("retry-after")).toBe(retryAfter);
  const problem = await problemOf(response);
  expect(problem.code).toBe("rate-limited");
  expect(problem.status).toBe(429);
  expect(problem.errors?.[0]?.code).toBe(code);
  return problem;
}

describe("the token bucket", () => {
  it("admits a burst, then answers 429 with Retry-After until the bucket refills", async () => {
    const clock = manualClock();
    const t = testGateway({ auth: { rateLimits: { global: { rate: 0.25, burst: 2 } } } }, {}, { clock });
    for (let i = 0; i < 2; i++) expect((await t.post({ headers: STRUCTURED, body: event })).status).toBe(202);
    // Empty: one token takes 1 / 0.25 = 4 s.
    await expectLimited(await t.post({ headers: STRUCTURED, body: event }), "global", "4");
    clock.advance(2_000);
    // Half a token: 2 s to go.
    await expectLimited(await t.post({ headers: STRUCTURED, body: event }), "global", "2");
    clock.advance(1_500);
    // An eighth of a token left to make: 0.5 s, answered as the whole second.
    await expectLimited(await t.post({ headers: STRUCTURED, body: event }), "global", "1");
    clock.advance(500);
    expect((await t.post({ headers: STRUCTURED, body: event })).status).toBe(202);
    await expectLimited(await t.post({ headers: STRUCTURED, body: event }), "global", "4");
    // A long pause refills no more than the burst.
    clock.advance(3_600_000);
    for (let i = 0; i < 2; i++) expect((await t.post({ headers: STRUCTURED, body: event })).status).toBe(202);
    await expectLimited(await t.post({ headers: STRUCTURED, body: event }), "global", "4");
    expect(t.received()).toHaveLength(5);
  });

  it("defaults the burst to the rate", async () => {
    const clock = manualClock();
    const t = testGateway({ auth: { rateLimits: { global: { rate: 3 } } } }, {}, { clock });
    for (let i = 0; i < 3; i++) expect((await t.post({ headers: STRUCTURED, body: event })).status).toBe(202);
    await expectLimited(await t.post({ headers: STRUCTURED, body: event }), "global", "1");
  });
});

describe("per-credential and global limits", () => {
  it("gives each API key its own bucket", async () => {
    const clock = manualClock();
    const t = testGateway(withKeys({ perCredential: { rate: 1, burst: 2 } }), {}, { clock });
    for (let i = 0; i < 2; i++)
      expect((await t.post({ headers: asKey(KEY_A), body: event })).status).toBe(202);
    const problem = await expectLimited(
      await t.post({ headers: asKey(KEY_A), body: event }),
      "per-credential",
      "1",
    );
    expect(problem.errors?.[0]?.detail).toContain("perCredential");
    for (let i = 0; i < 2; i++)
      expect((await t.post({ headers: asKey(KEY_B), body: event })).status).toBe(202);
    await expectLimited(await t.post({ headers: asKey(KEY_B), body: event }), "per-credential", "1");
    clock.advance(1_000);
    expect((await t.post({ headers: asKey(KEY_A), body: event })).status).toBe(202);
  });

  it("counts every key against the global limit", async () => {
    const clock = manualClock();
    const t = testGateway(
      withKeys({ global: { rate: 1, burst: 3 }, perCredential: { rate: 10, burst: 10 } }),
      {},
      { clock },
    );
    expect((await t.post({ headers: asKey(KEY_A), body: event })).status).toBe(202);
    expect((await t.post({ headers: asKey(KEY_B), body: event })).status).toBe(202);
    expect((await t.post({ headers: asKey(KEY_A), body: event })).status).toBe(202);
    await expectLimited(await t.post({ headers: asKey(KEY_B), body: event }), "global", "1");
    await expectLimited(await t.post({ headers: asKey(KEY_A), body: event }), "global", "1");
  });

  it("gives back the global token of a request its credential's limit refused", async () => {
    const clock = manualClock();
    const t = testGateway(
      withKeys({ global: { rate: 1, burst: 2 }, perCredential: { rate: 1, burst: 1 } }),
      {},
      { clock },
    );
    expect((await t.post({ headers: asKey(KEY_A), body: event })).status).toBe(202);
    for (let i = 0; i < 5; i++)
      await expectLimited(await t.post({ headers: asKey(KEY_A), body: event }), "per-credential", "1");
    // A's refused requests spent nothing of the global budget: B still has its token.
    expect((await t.post({ headers: asKey(KEY_B), body: event })).status).toBe(202);
    await expectLimited(await t.post({ headers: asKey(KEY_B), body: event }), "global", "1");
  });

  it("puts anonymous requests (no auth section) in one shared bucket", async () => {
    const clock = manualClock();
    const t = testGateway({ auth: { rateLimits: { perCredential: { rate: 1, burst: 2 } } } }, {}, { clock });
    expect((await t.post({ headers: STRUCTURED, body: event })).status).toBe(202);
    expect(
      (await t.post({ headers: { ...STRUCTURED, origin: "https://other.example" }, body: event })).status,
    ).toBe(202);
    await expectLimited(await t.post({ headers: STRUCTURED, body: event }), "per-credential", "1");
  });

  it("checks the credential first: a request without one gets 401 and spends nothing", async () => {
    const clock = manualClock();
    const t = testGateway(withKeys({ global: { rate: 1, burst: 2 } }), {}, { clock });
    expect((await t.post({ headers: asKey(KEY_A), body: event })).status).toBe(202);
    for (let i = 0; i < 5; i++) expect((await t.post({ headers: STRUCTURED, body: event })).status).toBe(401);
    expect((await t.post({ headers: asKey(KEY_B), body: event })).status).toBe(202);
    await expectLimited(await t.post({ headers: asKey(KEY_A), body: event }), "global", "1");
  });

  it("refuses without reading the body", async () => {
    const clock = manualClock();
    const t = testGateway({ auth: { rateLimits: { global: { rate: 1, burst: 1 } } } }, {}, { clock });
    const send = async () => {
      let pulls = 0;
      const body = new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            pulls++;
            controller.enqueue(new TextEncoder().encode(event));
            controller.close();
          },
        },
        { highWaterMark: 0 },
      );
      const request = new Request("http://gateway/events", {
        method: "POST",
        headers: STRUCTURED,
        body,
        duplex: "half",
      } as RequestInit);
      const response = await t.gateway.fetch(request);
      return { response, pulls };
    };
    const admitted = await send();
    expect(admitted.response.status).toBe(202);
    expect(admitted.pulls).toBeGreaterThan(0);
    const refused = await send();
    await expectLimited(refused.response, "global", "1");
    expect(refused.pulls).toBe(0);
  });

  it("keeps the buckets across a reload", async () => {
    const clock = manualClock();
    const config: GatewayConfig = { auth: { rateLimits: { global: { rate: 1, burst: 1 } } } };
    const t = testGateway(config, {}, { clock });
    expect((await t.post({ headers: STRUCTURED, body: event })).status).toBe(202);
    t.gateway.reload({ ...config, routes: [{ name: "all", to: ["memory"] }] });
    await expectLimited(await t.post({ headers: STRUCTURED, body: event }), "global", "1");
  });
});

describe("the rate the webhook handshake grants", () => {
  const HOOKS: GatewayConfig = { ingest: { webhook: { allowedRate: 2 } } };
  const from = (origin: string) => ({ ...STRUCTURED, "webhook-request-origin": origin });

  it("is enforced per origin, as OPTIONS /events advertises it", async () => {
    const clock = manualClock();
    const t = testGateway(HOOKS, {}, { clock });
    const handshake = await t.gateway.request("/events", {
      method: "OPTIONS",
      headers: { "webhook-request-origin": "eventemitter.example.com" },
    });
    expect(handshake.headers.get("webhook-allowed-rate")).toBe("2");
    for (let i = 0; i < 2; i++)
      expect((await t.post({ headers: from("eventemitter.example.com"), body: event })).status).toBe(202);
    // Two a minute: the next token in 30 s.
    const problem = await expectLimited(
      await t.post({ headers: from("EventEmitter.example.com"), body: event }),
      "webhook-origin",
      "30",
    );
    expect(problem.errors?.[0]?.header).toBe("webhook-request-origin");
    expect(problem.errors?.[0]?.detail).toContain("eventemitter.example.com");
    // Another origin has its own bucket; a request naming none is not held to a handshake's rate.
    expect((await t.post({ headers: from("other.example.com"), body: event })).status).toBe(202);
    for (let i = 0; i < 3; i++) expect((await t.post({ headers: STRUCTURED, body: event })).status).toBe(202);
    clock.advance(30_000);
    expect((await t.post({ headers: from("eventemitter.example.com"), body: event })).status).toBe(202);
  });

  it("reads the Origin header when WebHook-Request-Origin is absent", async () => {
    const clock = manualClock();
    const t = testGateway({ ingest: { webhook: { allowedRate: 1 } } }, {}, { clock });
    const origin = { ...STRUCTURED, origin: "https://sender.example" };
    expect((await t.post({ headers: origin, body: event })).status).toBe(202);
    const problem = await expectLimited(
      await t.post({ headers: origin, body: event }),
      "webhook-origin",
      "60",
    );
    expect(problem.errors?.[0]?.header).toBe("origin");
  });

  it("holds only the path the handshake answers for, not sources", async () => {
    const clock = manualClock();
    const t = testGateway(
      {
        ingest: {
          webhook: { allowedRate: 1 },
          sources: [{ path: "/hooks/plain", type: "json", event: { type: "'t'", source: "'/s'" } }],
        },
      },
      {},
      { clock },
    );
    for (let i = 0; i < 3; i++) {
      const response = await t.gateway.request("/hooks/plain", {
        method: "POST",
        headers: { "content-type": "application/json", "webhook-request-origin": "a.example" },
        body: "{}",
      });
      expect(response.status).toBe(202);
    }
  });
});

describe("the bucket store", () => {
  it("keeps at most its cap of buckets, dropping the one used longest ago", async () => {
    const clock = manualClock();
    const buckets = memoryBucketStore(clock, 3);
    const t = testGateway({ ingest: { webhook: { allowedRate: 1 } } }, {}, { clock, buckets });
    const from = (origin: string) => ({ ...STRUCTURED, "webhook-request-origin": origin });
    expect((await t.post({ headers: from("first.example"), body: event })).status).toBe(202);
    await expectLimited(
      await t.post({ headers: from("first.example"), body: event }),
      "webhook-origin",
      "60",
    );
    for (let i = 0; i < 50; i++) {
      expect((await t.post({ headers: from(`origin-${i}.example`), body: event })).status).toBe(202);
      expect(buckets.size).toBeLessThanOrEqual(3);
    }
    expect(buckets.size).toBe(3);
    // The first origin's bucket was dropped, so it comes back full.
    expect((await t.post({ headers: from("first.example"), body: event })).status).toBe(202);
  });

  it("keeps a bucket in use while others come and go", async () => {
    const clock = manualClock();
    const buckets = memoryBucketStore(clock, 3);
    const t = testGateway({ ingest: { webhook: { allowedRate: 1 } } }, {}, { clock, buckets });
    const from = (origin: string) => ({ ...STRUCTURED, "webhook-request-origin": origin });
    expect((await t.post({ headers: from("busy.example"), body: event })).status).toBe(202);
    for (let i = 0; i < 10; i++) {
      expect((await t.post({ headers: from(`origin-${i}.example`), body: event })).status).toBe(202);
      // Each refusal uses the busy origin's bucket again, so it is never the oldest.
      await expectLimited(
        await t.post({ headers: from("busy.example"), body: event }),
        "webhook-origin",
        "60",
      );
    }
  });
});

describe("a path whose source checks the signature", () => {
  const SECRET = "rate-limit-github-secret";
  const push = JSON.stringify({ ref: "refs/heads/main", repository: { full_name: "o/r", id: 1 } });
  const delivery = (i: number) => ({
    "content-type": "application/json",
    "x-github-event": "push",
    "x-github-delivery": `delivery-${i}`,
  });
  const gatewayWith = (rateLimits: NonNullable<GatewayConfig["auth"]>["rateLimits"]) => {
    const clock = manualClock();
    return testGateway(
      {
        ...withKeys(rateLimits),
        ingest: { sources: [{ path: "/hooks/github", type: "github", secrets: [SECRET] }] },
      },
      {},
      { clock },
    );
  };
  const postHook = async (t: ReturnType<typeof testGateway>, i: number, signed: boolean) =>
    (await t.gateway.request("/hooks/github", {
      method: "POST",
      headers: {
        ...delivery(i),
        ...(signed ? { "x-hub-signature-256": await sign(SECRET, push) } : {}),
      },
      body: push,
    })) as Response;

  it("costs an unsigned request nothing: it cannot spend the global budget of credentials", async () => {
    const t = gatewayWith({ global: { rate: 1, burst: 3 } });
    for (let i = 0; i < 5; i++) {
      const refused = await postHook(t, i, false);
      expect(refused.status).toBe(401);
      expect((await problemOf(refused)).code).toBe("source-unauthenticated");
    }
    expect((await t.post({ headers: asKey(KEY_A), body: event })).status).toBe(202);
    expect((await postHook(t, 10, true)).status).toBe(202);
    expect((await postHook(t, 11, true)).status).toBe(202);
    // Three tokens, three requests proven: the fourth is over the limit, signed or not.
    await expectLimited(await postHook(t, 12, true), "global", "1");
    await expectLimited(await t.post({ headers: asKey(KEY_B), body: event }), "global", "1");
  });

  it("costs an unsigned request nothing on the source's own bucket either", async () => {
    const t = gatewayWith({ perCredential: { rate: 1, burst: 2 } });
    for (let i = 0; i < 5; i++) expect((await postHook(t, i, false)).status).toBe(401);
    expect((await postHook(t, 10, true)).status).toBe(202);
    expect((await postHook(t, 11, true)).status).toBe(202);
    await expectLimited(await postHook(t, 12, true), "per-credential", "1");
  });
});

describe("the webhook origin's bucket key", () => {
  it("is a digest of the origin, so a 16 KiB origin keys a bucket no larger than a short one", async () => {
    const clock = manualClock();
    const inner = memoryBucketStore(clock);
    const keys: string[] = [];
    const buckets = {
      take: (key: string, limit: Parameters<typeof inner.take>[1]) => {
        keys.push(key);
        return inner.take(key, limit);
      },
      giveBack: inner.giveBack,
    };
    const t = testGateway({ ingest: { webhook: { allowedRate: 1 } } }, {}, { clock, buckets });
    const long = `https://${"a".repeat(16 * 1024)}.example`;
    const from = (origin: string) => ({ ...STRUCTURED, "webhook-request-origin": origin });
    expect((await t.post({ headers: from(long), body: event })).status).toBe(202);
    // The same origin, compared case-insensitively, shares the bucket.
    const problem = await expectLimited(
      await t.post({ headers: from(long.toUpperCase()), body: event }),
      "webhook-origin",
      "60",
    );
    expect(problem.errors?.[0]?.header).toBe("webhook-request-origin");
    expect(JSON.stringify(problem).length).toBeLessThan(2_048);
    // An origin that differs only in its last character has a bucket of its own.
    expect((await t.post({ headers: from(`${long.slice(0, -1)}X`), body: event })).status).toBe(202);
    expect(new Set(keys).size).toBe(2);
    for (const key of keys) expect(key.length).toBeLessThanOrEqual(100);
  });
});
