/**
 * The Event Grid target against a local Event Grid (HTTPS with a certificate
 * made for the test, or plain HTTP with allowInsecure): topics with an access
 * key, namespaces with SharedAccessKey, and Microsoft Entra ID tokens.
 */
import { AzureKeyCredential, generateSharedAccessSignature } from "@azure/eventgrid";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createEventGridAdapter, type EventGridOptions } from "../../adapters/eventgrid/index.js";
import { generateSasToken, sasTokens, serviceTimeString } from "../../adapters/eventgrid/sas-token.js";
import { portableRuntime } from "../../src/adapter/default-runtime.js";
import { ConfigError } from "../../src/config/config-error.js";
import { parseConfig } from "../../src/config/parse-config.js";
import { decodeHttpRequest } from "../../src/decode/http-binding.js";
import { createCloudEvent, EventData } from "../../src/event/cloud-event.js";
import { toJsonFormat } from "../../src/event/json-format.js";
import { normalizeEvents } from "../../src/normalize/normalize-event.js";
import { freePort } from "../support/cli-process.js";
import {
  type FakeEventGrid,
  type FakeEventGridOptions,
  startFakeEventGrid,
} from "../support/fake-eventgrid.js";
import { collect, describeAdapterContract, type ReceivedEvent } from "./contract.js";

function received(fake: FakeEventGrid): ReceivedEvent[] {
  return fake.requests.flatMap((r) =>
    normalizeEvents(
      decodeHttpRequest(
        new Headers({ "content-type": "application/cloudevents-batch+json" }),
        new TextEncoder().encode(r.body),
      ).events,
    ).map((event) => ({ event })),
  );
}

function eventGridSubject(
  name: string,
  fakeOptions: FakeEventGridOptions,
  adapterOptions: (fake: FakeEventGrid) => EventGridOptions,
) {
  return {
    name,
    async setup() {
      const fake = await startFakeEventGrid(fakeOptions);
      const runtime = { ...portableRuntime(), fetch: fake.fetch };
      const options = adapterOptions(fake);
      const adapter = createEventGridAdapter(options, runtime);
      return {
        adapter,
        received: (prefix: string, count: number) => collect(() => received(fake), prefix, count),
        unreachable: async () =>
          createEventGridAdapter(
            {
              ...options,
              endpoint: `http://127.0.0.1:${await freePort()}/api/events`,
              allowInsecure: true,
              timeoutMs: 1_000,
            },
            runtime,
          ),
        refusing: async () =>
          createEventGridAdapter(
            { ...options, key: "wrong-key", sasToken: undefined, entra: undefined },
            runtime,
          ),
        keepsAttributeTypes: true,
        async teardown() {
          const viaSdk = fake.requests.filter((r) =>
            /azsdk-js-eventgrid/.test(r.headers["user-agent"] ?? ""),
          );
          await fake.close();
          // The SDK path must have carried the SDK-shaped round trips (topics only; namespaces are REST).
          const sdkExpected = options.api !== "rest" && options.namespaceTopic === undefined;
          if (sdkExpected !== viaSdk.length > 0)
            throw new Error(`${name}: ${viaSdk.length} requests went through @azure/eventgrid`);
        },
      };
    },
  };
}

const sasKey = Buffer.from("a topic access key, 32 bytes long").toString("base64");
const entra = (f: FakeEventGrid) => ({
  tenantId: "t1",
  clientId: "c1",
  clientSecret: "s3cret",
  authorityHost: f.url,
  disableInstanceDiscovery: true,
});

// The fetch-only path (what Workers run).
describeAdapterContract(
  eventGridSubject("Event Grid REST: topic over HTTPS, aeg-sas-key", { tls: true, key: "k1" }, (f) => ({
    api: "rest",
    endpoint: `${f.url}/api/events`,
    key: "k1",
  })),
);
describeAdapterContract(
  eventGridSubject(
    "Event Grid REST: namespace over HTTPS, SharedAccessKey",
    { tls: true, key: "k2", namespaceTopic: "orders" },
    (f) => ({ api: "rest", endpoint: f.url, namespaceTopic: "orders", key: "k2" }),
  ),
);
describeAdapterContract(
  eventGridSubject(
    "Event Grid REST: topic over plain HTTP, Entra ID by fetch",
    { entraSecret: "s3cret", key: "unused" },
    (f) => ({ api: "rest", endpoint: `${f.url}/api/events`, allowInsecure: true, entra: entra(f) }),
  ),
);

// The Node path: @azure/eventgrid where faithful, @azure/identity for Entra ID.
describeAdapterContract(
  eventGridSubject(
    "Event Grid SDK: topic over plain HTTP (allowInsecureConnection), generated aeg-sas-token",
    { sasKey, key: "unused" },
    (f) => ({ endpoint: `${f.url}/api/events`, allowInsecure: true, sasToken: { key: sasKey } }),
  ),
);
describeAdapterContract(
  eventGridSubject(
    "Event Grid SDK: topic over HTTPS, Entra ID by @azure/identity",
    { tls: true, entraSecret: "s3cret", key: "unused" },
    (f) => ({ endpoint: `${f.url}/api/events`, entra: entra(f) }),
  ),
);
describeAdapterContract(
  eventGridSubject(
    "Event Grid SDK: namespace over HTTPS, Entra ID by @azure/identity",
    { tls: true, entraSecret: "s3cret", key: "unused", namespaceTopic: "orders" },
    (f) => ({ endpoint: f.url, namespaceTopic: "orders", entra: entra(f) }),
  ),
);

/** A topic target (plain HTTP) signing with shared access signatures made from `key`. */
function sasTarget(fake: FakeEventGrid, api: "rest" | "sdk", key: string, path = "/api/events") {
  return createEventGridAdapter(
    { api, endpoint: `${fake.url}${path}`, allowInsecure: true, sasToken: { key } },
    { ...portableRuntime(), fetch: fake.fetch },
  );
}

/** Entra ID tokens by fetch (plain HTTP will do) and by @azure/identity (which asks an https authority). */
const ENTRA_PATHS = [
  ["by fetch (rest)", "rest", false],
  ["by @azure/identity (sdk)", "sdk", true],
] as const;

/** A topic target signing in with Entra ID at the fake's authority (HTTPS when the fake has TLS). */
function entraAdapter(
  fake: FakeEventGrid,
  api: "rest" | "sdk",
  clientSecret: string,
  fetchFn: typeof fetch,
  timeoutMs = 10_000,
) {
  return createEventGridAdapter(
    {
      api,
      timeoutMs,
      endpoint: `${fake.url}/api/events`,
      allowInsecure: fake.url.startsWith("http://"),
      entra: {
        tenantId: "t",
        clientId: "c",
        clientSecret,
        authorityHost: fake.url,
        disableInstanceDiscovery: true,
      },
    },
    { ...portableRuntime(), fetch: fetchFn },
  );
}

describe("Event Grid specifics", () => {
  const options = () => ({ signal: new AbortController().signal, deadline: Date.now() + 10_000 });
  const timedEvent = (id: string) =>
    createCloudEvent({
      attributes: {
        specversion: "1.0",
        id,
        source: "/s",
        type: "t",
        time: "2026-11-30T12:00:00.123Z",
        datacontenttype: "application/json",
      },
      data: new EventData(new TextEncoder().encode('{"a":1}'), "json"),
    });
  const viaSdk = (request: { headers: Record<string, string> }) =>
    /azsdk-js-eventgrid/.test(request.headers["user-agent"] ?? "");
  const event = (id: string, size = 10) =>
    createCloudEvent({
      attributes: { specversion: "1.0", id, source: "/s", type: "t", datacontenttype: "text/plain" },
      data: new EventData(new TextEncoder().encode("x".repeat(size)), "text"),
    });

  it("packs a large batch into several requests under 1 MB, never splitting an event", async () => {
    const fake = await startFakeEventGrid({ key: "k" });
    try {
      const adapter = createEventGridAdapter(
        { endpoint: `${fake.url}/api/events`, key: "k", allowInsecure: true },
        { ...portableRuntime(), fetch: fake.fetch },
      );
      const events = Array.from({ length: 12 }, (_, i) => ({ event: event(`big-${i}`, 200_000) }));
      const outcomes = await adapter.publish(events, options());
      expect(outcomes.every((o) => o.status === "acked")).toBe(true);
      expect(fake.requests.length).toBeGreaterThanOrEqual(3);
      expect(fake.requests.every((r) => r.body.length <= 1_048_576)).toBe(true);
      expect(received(fake).map((r) => r.event.attributes.id)).toEqual(
        events.map((e) => e.event.attributes.id),
      );
    } finally {
      await fake.close();
    }
  });

  it("refuses an event over 1 MB as terminal, naming the limit, and an http endpoint without allowInsecure", async () => {
    const fake = await startFakeEventGrid({ key: "k" });
    try {
      const runtime = { ...portableRuntime(), fetch: fake.fetch };
      const adapter = createEventGridAdapter(
        { endpoint: `${fake.url}/api/events`, key: "k", allowInsecure: true },
        runtime,
      );
      const [outcome] = await adapter.publish([{ event: event("huge", 1_100_000) }], options());
      expect(outcome).toMatchObject({
        status: "terminal",
        targetStatus: 413,
        reason: expect.stringContaining("at most 1048574"),
      });
      const insecure = createEventGridAdapter({ endpoint: `${fake.url}/api/events`, key: "k" }, runtime);
      expect((await insecure.publish([{ event: event("x") }], options()))[0]?.status).toBe("terminal");
      expect(fake.requests).toHaveLength(0);
    } finally {
      await fake.close();
    }
  });

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
        const adapter = entraAdapter(fake, api, "s", recordingFetch);
        // Timed JSON events take the SDK where there is one; text events the REST request.
        for (let i = 0; i < 4; i++) {
          const e = i % 2 === 0 ? timedEvent(`e-${i}`) : event(`e-${i}`);
          expect((await adapter.publish([{ event: e }], options()))[0]?.status).toBe("acked");
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
      const adapter = entraAdapter(fake, api, "wrong", fake.fetch);
      for (const e of [timedEvent("timed"), event("plain")]) {
        const [outcome] = await adapter.publish([{ event: e }], options());
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

  it.each(ENTRA_PATHS)("retries later when Entra ID throttles or does not answer %s", async (_, api, tls) => {
    const fake = await startFakeEventGrid({ entraSecret: "s", tls });
    try {
      for (const e of [timedEvent("timed"), event("plain")]) {
        fake.failTokensNext(429);
        const throttled = await entraAdapter(fake, api, "s", fake.fetch).publish([{ event: e }], options());
        expect(throttled[0]?.status).toBe("retriable");
        fake.failTokensNext("hang");
        const started = Date.now();
        const hung = await entraAdapter(fake, api, "s", fake.fetch, 500).publish([{ event: e }], options());
        expect(hung[0]?.status).toBe("retriable");
        expect(Date.now() - started).toBeLessThan(5_000);
        const healthy = await entraAdapter(fake, api, "s", fake.fetch).publish([{ event: e }], options());
        expect(healthy[0]?.status).toBe("acked");
      }
    } finally {
      await fake.close();
    }
  });

  it.each(["rest", "sdk"] as const)(
    "opens no target for a signing key that is not base64, and says so (%s)",
    async (api) => {
      const fake = await startFakeEventGrid({ sasKey: "a2V5" });
      try {
        const adapter = sasTarget(fake, api, "not base64!");
        expect(await adapter.ready()).toBe(false);
        const [outcome] = await adapter.publish([{ event: timedEvent("e") }], options());
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
        for (const e of [timedEvent("timed"), event("plain")])
          expect((await adapter.publish([{ event: e }], options()))[0]?.status).toBe("acked");
      } finally {
        await fake.close();
      }
    },
  );

  it.each([
    ["a topic", undefined, 5_000],
    ["a namespace", "orders", 1_000],
  ] as const)(
    "sends at most the service's event count per request to %s",
    async (_, namespaceTopic, limit) => {
      const fake = await startFakeEventGrid({ key: "k", ...(namespaceTopic && { namespaceTopic }) });
      try {
        const adapter = createEventGridAdapter(
          {
            api: "rest",
            endpoint: namespaceTopic ? fake.url : `${fake.url}/api/events`,
            key: "k",
            allowInsecure: true,
            ...(namespaceTopic && { namespaceTopic }),
          },
          { ...portableRuntime(), fetch: fake.fetch },
        );
        const events = Array.from({ length: limit + 1 }, (_, i) => ({ event: event(`n-${i}`, 1) }));
        const outcomes = await adapter.publish(events, options());
        expect(outcomes.every((o) => o.status === "acked")).toBe(true);
        expect(fake.requests.map((r) => (JSON.parse(r.body) as unknown[]).length)).toEqual([limit, 1]);
      } finally {
        await fake.close();
      }
    },
  );

  it("sends a batch through @azure/eventgrid when it would arrive unchanged, and as REST otherwise", async () => {
    const key = Buffer.from("k").toString("base64");
    const fake = await startFakeEventGrid({ sasKey: key });
    try {
      const adapter = createEventGridAdapter(
        { endpoint: `${fake.url}/api/events`, allowInsecure: true, sasToken: { key } },
        { ...portableRuntime(), fetch: fake.fetch },
      );
      const json = (id: string, data: string, time = "2026-11-30T12:00:00.123Z") =>
        createCloudEvent({
          attributes: {
            specversion: "1.0",
            id,
            source: "/s",
            type: "t",
            time,
            datacontenttype: "application/json",
          },
          data: new EventData(new TextEncoder().encode(data), "json"),
        });
      const sent = [
        json("faithful", '{"a":1,"b":[true,null]}'),
        json("array", "[1,2]"),
        json("big-number", '{"n":12345678901234567890}'),
        json("no-millis", '{"a":1}', "2026-11-30T12:00:00Z"),
      ];
      for (const e of sent)
        expect((await adapter.publish([{ event: e }], options()))[0]?.status).toBe("acked");
      const viaSdk = fake.requests.map((r) => /azsdk-js-eventgrid/.test(r.headers["user-agent"] ?? ""));
      expect(viaSdk).toEqual([true, false, false, false]);
      const wire = sent.map((e) => new TextDecoder().decode(toJsonFormat(e)));
      // Through the SDK: the same JSON (its members in the SDK's order); as REST: the same bytes.
      expect(JSON.parse(fake.requests[0]?.body ?? "")).toEqual([JSON.parse(wire[0] ?? "")]);
      expect(fake.requests.slice(1).map((r) => r.body)).toEqual(wire.slice(1).map((w) => `[${w}]`));
    } finally {
      await fake.close();
    }
  });

  it("generates the same aeg-sas-token as @azure/eventgrid, and the service accepts it", async () => {
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
    const tokens = sasTokens("https://t.example/api/events", key, 600, () => now);
    const first = await tokens();
    now += 400_000;
    expect(await tokens()).toBe(first);
    now += 150_000; // within the last minute of its ten
    const second = await tokens();
    expect(second).not.toBe(first);
    expect(decodeURIComponent(/e=([^&]+)/.exec(second)?.[1] ?? "")).toBe("11/30/2026 10:19:10 AM");
  });

  it.each(["rest", "sdk"] as const)("keeps the service's error and classifies it (%s)", async (api) => {
    const fake = await startFakeEventGrid({ key: "k" });
    try {
      const adapter = createEventGridAdapter(
        { api, endpoint: `${fake.url}/api/events`, key: "k", allowInsecure: true },
        { ...portableRuntime(), fetch: fake.fetch },
      );
      const json = createCloudEvent({
        attributes: {
          specversion: "1.0",
          id: "e",
          source: "/s",
          type: "t",
          time: "2026-11-30T12:00:00.000Z",
          datacontenttype: "application/json",
        },
        data: new EventData(new TextEncoder().encode('{"a":1}'), "json"),
      });
      const outcomes = [];
      fake.failNext(
        { status: 429, headers: { "retry-after": "7" } },
        { status: 503 },
        { status: 408 },
        { status: 400 },
        { status: 401 },
        { status: 403 },
        { status: 413 },
      );
      for (let i = 0; i < 7; i++) outcomes.push((await adapter.publish([{ event: json }], options()))[0]);
      expect(outcomes.map((o) => o?.status)).toEqual([
        "retriable",
        "retriable",
        "retriable",
        "terminal",
        "terminal",
        "terminal",
        "terminal",
      ]);
      expect(outcomes[0]).toMatchObject({
        retryAfterMs: 7_000,
        reason: expect.stringContaining('"code":"Status429"'),
      });
      expect(outcomes[4]).toMatchObject({
        targetStatus: 401,
        reason: expect.stringContaining('"code":"Status401"'),
      });
    } finally {
      await fake.close();
    }
  });

  it("checks its options when the config is loaded", () => {
    const config = (target: string) =>
      `version: 1\ntargets:\n  grid: ${target}\nroutes:\n  - name: all\n    to: [grid]\n`;
    const refused = (target: string) => {
      try {
        parseConfig(config(target));
      } catch (error) {
        if (error instanceof ConfigError) return error.issues.map((i) => `${i.path} ${i.message}`).join("; ");
        throw error;
      }
      return "accepted";
    };
    expect(refused('{ type: eventgrid, endpoint: "https://t.example/api/events", key: k }')).toBe("accepted");
    expect(
      refused(
        '{ type: eventgrid, endpoint: "https://t.example/api/events", sasToken: { key: azE=, ttlSeconds: 900 } }',
      ),
    ).toBe("accepted");
    expect(refused('{ type: eventgrid, endpoint: "http://127.0.0.1:1/api/events", key: k }')).toMatch(
      /allowInsecure/,
    );
    expect(refused('{ type: eventgrid, endpoint: "https://t.example", key: k, sasToken: s }')).not.toBe(
      "accepted",
    );
    expect(
      refused('{ type: eventgrid, endpoint: "https://ns.example", namespaceTopic: orders, sasToken: s }'),
    ).not.toBe("accepted");
    expect(
      refused(
        '{ type: eventgrid, endpoint: "https://t.example/api/events", sasToken: { key: "not base64!" } }',
      ),
    ).toMatch(/sasToken/);
  });
});
