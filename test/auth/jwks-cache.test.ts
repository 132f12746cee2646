/**
 * The JWKS cache when a fetch never settles: on Workers a fetch belongs to
 * the request that started it, and workerd may cancel it when that request
 * ends, so its promise is never resolved. The cache must not wait on it
 * forever. fetch is replaced by one that never answers the first time, and
 * the clock and timers are fake: nothing here waits on the wall clock.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createJwksCache, type JwksLookup } from "../../src/auth/jwt/jwks-cache.js";
import { signingKey } from "../support/jwks-server.js";

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

/** Resolves `lookup` while the fake timers run, as much fake time as it takes (up to a minute). */
async function settle(lookup: Promise<JwksLookup>): Promise<JwksLookup> {
  let result: JwksLookup | undefined;
  void lookup.then((r) => {
    result = r;
  });
  for (let elapsed = 0; result === undefined && elapsed < 60_000; elapsed += 500)
    await vi.advanceTimersByTimeAsync(500);
  // A fetch that answered may still be importing keys (real async work, not a timer).
  return result ?? (await lookup);
}

describe("a JWKS fetch that never settles", () => {
  it("is given up after its timeout, backed off like a failure, and then fetched anew", async () => {
    vi.useFakeTimers({ toFake: ["Date", "setTimeout", "clearTimeout"], now: 1_750_000_000_000 });
    const key = await signingKey("k1");
    let calls = 0;
    vi.stubGlobal("fetch", () => {
      calls += 1;
      if (calls === 1) return new Promise<Response>(() => {});
      return Promise.resolve(Response.json({ keys: [key.jwk] }));
    });
    const cache = createJwksCache({
      url: "https://idp.example.test/jwks",
      timeoutMs: 3_000,
      failureBackoffMs: 10_000,
    });
    const header = { alg: key.alg, kid: key.kid };

    const first = await settle(cache.keysFor(header));
    expect(first.kind).toBe("unavailable");
    expect(calls).toBe(1);

    // Past the fetch's timeout: it counts as failed, and the failure backs off.
    vi.setSystemTime(Date.now() + 1_000);
    const backingOff = await settle(cache.keysFor(header));
    expect(backingOff).toMatchObject({ kind: "unavailable", reason: expect.stringMatching(/in time/) });
    expect(calls).toBe(1);

    // After the backoff a new fetch is made, and it answers.
    vi.setSystemTime(Date.now() + 10_000);
    const fetched = await settle(cache.keysFor(header));
    expect(calls).toBe(2);
    expect(fetched.kind).toBe("keys");
    expect(fetched.kind === "keys" && fetched.keys.length).toBe(1);
  });
});
