/**
 * cachedToken: one token request at a time, bounded by the signal of the
 * attempt it is made for; a caller whose attempt outlives that one asks
 * again within its own.
 */
import { describe, expect, it } from "vitest";
import { cachedToken } from "../../src/adapter/token-cache.js";

/** As on Node, where concurrent callers may share the request in flight. */
const SHARED = { shareInFlight: true };

describe("cachedToken", () => {
  it("bounds a token request by the attempt's signal, and a caller sharing it asks again within its own attempt", async () => {
    const asked: AbortSignal[] = [];
    const token = cachedToken(async (signal) => {
      asked.push(signal);
      if (asked.length === 1) {
        // The first request hangs until its attempt ends.
        await new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
      }
      return { token: `t${asked.length}`, expiresInSeconds: 3600 };
    }, SHARED);
    const short = new AbortController();
    const long = new AbortController();
    const first = token(short.signal);
    const second = token(long.signal);
    expect(asked).toEqual([short.signal]);
    short.abort(new Error("the short attempt ended"));
    await expect(first).rejects.toThrow("the short attempt ended");
    await expect(second).resolves.toBe("t2");
    expect(asked).toEqual([short.signal, long.signal]);
    // Cached from now on: no request, whatever the signal.
    await expect(token(AbortSignal.abort())).resolves.toBe("t2");
    expect(asked).toHaveLength(2);
  });

  it("passes on a failure that is not the end of another attempt", async () => {
    let calls = 0;
    const token = cachedToken(async () => {
      calls++;
      throw new Error("refused");
    }, SHARED);
    const signal = new AbortController().signal;
    await expect(Promise.all([token(signal), token(signal)])).rejects.toThrow("refused");
    expect(calls).toBe(1);
  });

  it("does not share a request in flight where the runtime forbids it (workerd), but reuses the token", async () => {
    let calls = 0;
    const token = cachedToken(async () => {
      const call = ++calls;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { token: `t${call}`, expiresInSeconds: 3600 };
    });
    const signal = new AbortController().signal;
    const both = await Promise.all([token(signal), token(signal)]);
    expect(calls).toBe(2);
    expect(both).toEqual(["t1", "t2"]);
    await expect(token(signal)).resolves.toBe("t2");
    expect(calls).toBe(2);
  });
});
