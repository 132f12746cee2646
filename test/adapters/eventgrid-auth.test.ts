/**
 * How the Event Grid target signs in: shared access signatures it makes
 * (checked against @azure/eventgrid's and by the local Event Grid), and
 * Microsoft Entra ID by fetch and by @azure/identity, with the failures of
 * each kept apart (refused credentials are final, a busy authority is not).
 */
import { AzureKeyCredential, generateSharedAccessSignature } from "@azure/eventgrid";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createNodeEventGridAdapter } from "../../adapters/eventgrid/node/target.js";
import { generateSasToken, sasTokens, serviceTimeString } from "../../adapters/eventgrid/sas-token.js";
import { portableRuntime } from "../../src/adapter/default-runtime.js";
import {
  ENTRA_PATHS,
  entraTarget,
  publishOptions,
  sasTarget,
  textEvent,
  timedEvent,
  viaSdk,
} from "../support/eventgrid-fixtures.js";
import { startFakeEventGrid } from "../support/fake-eventgrid.js";

describe("Event Grid sign-in", () => {
  it.each(ENTRA_PATHS)(
    "reuses an Entra ID token %s, asking only the configured authority",
    async (_, api, tls) => {
      const fake = await startFakeEventGrid({ entraSecret: "s", tls });
      const asked: string[] = [];
      const recordingFetch = ((input: string | URL | Request, init?: RequestInit) => {
        asked.push(new URL(input instanceof Request ? input.url : input).host);
        return fake.fetch(input, init);
      }) as typeof fetch;
      try {
        const adapter = entraTarget(fake, api, "s", recordingFetch);
        // Timed JSON events take the SDK where there is one; text events the REST request.
        for (let i = 0; i < 4; i++) {
          const e = i % 2 === 0 ? timedEvent(`e-${i}`) : textEvent(`e-${i}`);
          expect((await adapter.publish([{ event: e }], publishOptions()))[0]?.status).toBe("acked");
        }
        expect(fake.tokensIssued()).toBe(1);
        expect(fake.requests.filter(viaSdk)).toHaveLength(api === "sdk" ? 2 : 0);
        expect(new Set(asked)).toEqual(new Set([new URL(fake.url).host]));
        expect(fake.requests.every((r) => r.headers.authorization === "Bearer entra-1")).toBe(true);
      } finally {
        await fake.close();
      }
    },
  );

  it.each(ENTRA_PATHS)("gives terminal when Entra ID refuses the client secret %s", async (_, api, tls) => {
    const fake = await startFakeEventGrid({ entraSecret: "right", tls });
    try {
      const adapter = entraTarget(fake, api, "wrong", fake.fetch);
      for (const e of [timedEvent("timed"), textEvent("plain")]) {
        const [outcome] = await adapter.publish([{ event: e }], publishOptions());
        expect(outcome).toMatchObject({
          status: "terminal",
          targetStatus: 401,
          reason: expect.stringContaining("refused the client credentials"),
        });
      }
      expect(fake.requests).toHaveLength(0);
    } finally {
      await fake.close();
    }
  });

  it.each(ENTRA_PATHS)(
    "tells a refusal from a 400 that only means later (temporarily_unavailable) %s",
    async (_, api, tls) => {
      const fake = await startFakeEventGrid({ entraSecret: "s", tls });
      try {
        fake.failTokensNext(400);
        const [outcome] = await entraTarget(fake, api, "s", fake.fetch).publish(
          [{ event: timedEvent("e") }],
          publishOptions(),
        );
        expect(outcome?.status).toBe("retriable");
      } finally {
        await fake.close();
      }
    },
  );

  it.each(ENTRA_PATHS)("retries later when Entra ID throttles or does not answer %s", async (_, api, tls) => {
    const fake = await startFakeEventGrid({ entraSecret: "s", tls });
    try {
      for (const e of [timedEvent("timed"), textEvent("plain")]) {
        // The authority says "in 3 s": by fetch that becomes the outcome's Retry-After; MSAL waits
        // and asks again itself, which the attempt's 500 ms bound (the target's timeoutMs) cuts short.
        fake.failTokensNext(429);
        const throttled = await entraTarget(fake, api, "s", fake.fetch, 500).publish(
          [{ event: e }],
          publishOptions(500),
        );
        expect(throttled[0]?.status).toBe("retriable");
        if (api === "rest") expect(throttled[0]).toMatchObject({ retryAfterMs: 3_000 });
        fake.failTokensNext("hang");
        const started = Date.now();
        const hung = await entraTarget(fake, api, "s", fake.fetch, 500).publish(
          [{ event: e }],
          publishOptions(500),
        );
        expect(hung[0]?.status).toBe("retriable");
        expect(Date.now() - started).toBeLessThan(5_000);
        const healthy = await entraTarget(fake, api, "s", fake.fetch).publish(
          [{ event: e }],
          publishOptions(),
        );
        expect(healthy[0]?.status).toBe("acked");
      }
    } finally {
      await fake.close();
    }
  });

  it("sends Entra ID tokens to a plain-HTTP endpoint as the REST request, which the SDK would refuse", async () => {
    const authority = await startFakeEventGrid({ tls: true, entraSecret: "s" });
    const grid = await startFakeEventGrid({ trustTokensOf: authority });
    try {
      const adapter = createNodeEventGridAdapter(
        {
          endpoint: `${grid.url}/api/events`,
          allowInsecure: true,
          entra: {
            tenantId: "t",
            clientId: "c",
            clientSecret: "s",
            authorityHost: authority.url,
            disableInstanceDiscovery: true,
          },
        },
        // Each fake's fetch trusts its own certificate; the authority's is the one that matters here.
        { ...portableRuntime(), fetch: authority.fetch },
      );
      const [outcome] = await adapter.publish([{ event: timedEvent("timed") }], publishOptions());
      expect(outcome?.status).toBe("acked");
      expect(grid.requests.map(viaSdk)).toEqual([false]);
      expect(authority.tokensIssued()).toBe(1);
    } finally {
      await grid.close();
      await authority.close();
    }
  });

  it.each(["rest", "sdk"] as const)(
    "opens no target for a signing key that is not base64, and says so (%s)",
    async (api) => {
      const fake = await startFakeEventGrid({ sasKey: "a2V5" });
      try {
        const adapter = sasTarget(fake, api, "not base64!");
        expect(await adapter.ready()).toBe(false);
        const [outcome] = await adapter.publish([{ event: timedEvent("e") }], publishOptions());
        expect(outcome).toMatchObject({ status: "terminal", reason: expect.stringContaining("not base64") });
        expect(fake.requests).toHaveLength(0);
      } finally {
        await fake.close();
      }
    },
  );

  it.each(["rest", "sdk"] as const)(
    "signs the endpoint it requests, whatever trailing slashes the config has (%s)",
    async (api) => {
      const fake = await startFakeEventGrid({ sasKey: "a2V5" });
      try {
        const adapter = sasTarget(fake, api, "a2V5", "/api/events//");
        for (const e of [timedEvent("timed"), textEvent("plain")])
          expect((await adapter.publish([{ event: e }], publishOptions()))[0]?.status).toBe("acked");
      } finally {
        await fake.close();
      }
    },
  );

  it("generates the same aeg-sas-token as @azure/eventgrid", async () => {
    const endpoint = "https://orders.westeurope-1.eventgrid.azure.net/api/events";
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.date({
          min: new Date("2000-01-01T00:00:00Z"),
          max: new Date("2099-12-31T23:59:59Z"),
          noInvalidDate: true,
        }),
        async (keyBytes, expiresOn) => {
          const key = Buffer.from(keyBytes).toString("base64");
          const whole = new Date(Math.floor(expiresOn.getTime() / 1000) * 1000);
          expect(await generateSasToken(endpoint, key, whole)).toBe(
            await generateSharedAccessSignature(endpoint, new AzureKeyCredential(key), whole),
          );
        },
      ),
      { numRuns: 200, seed: 7 },
    );
    // Midnight and noon are the 12-hour clock's edge cases.
    expect(serviceTimeString(new Date("2026-06-05T00:09:03Z"))).toBe("6/5/2026 12:09:03 AM");
    expect(serviceTimeString(new Date("2026-06-05T12:09:03Z"))).toBe("6/5/2026 12:09:03 PM");
  });

  it("makes a new shared access signature before the last one expires", async () => {
    let now = Date.parse("2026-11-30T10:00:00Z");
    const key = Buffer.from("k").toString("base64");
    const sign = sasTokens("https://t.example/api/events", key, 600, { now: () => now });
    const tokens = () => sign(new AbortController().signal);
    const first = await tokens();
    now += 400_000;
    expect(await tokens()).toBe(first);
    now += 150_000; // within the last minute of its ten
    const second = await tokens();
    expect(second).not.toBe(first);
    expect(decodeURIComponent(/e=([^&]+)/.exec(second)?.[1] ?? "")).toBe("11/30/2026 10:19:10 AM");
  });
});
