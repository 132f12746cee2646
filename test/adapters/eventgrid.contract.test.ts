/**
 * The Event Grid target against a local Event Grid (HTTPS with a certificate
 * made for the test, or plain HTTP with allowInsecure): topics with an access
 * key, namespaces with SharedAccessKey, and Microsoft Entra ID tokens.
 */
import { describe, expect, it } from "vitest";
import { createEventGridAdapter, type EventGridOptions } from "../../adapters/eventgrid/index.js";
import { portableRuntime } from "../../src/adapter/default-runtime.js";
import { decodeHttpRequest } from "../../src/decode/http-binding.js";
import { createCloudEvent, EventData } from "../../src/event/cloud-event.js";
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
          createEventGridAdapter({ ...options, key: "wrong-key", entra: undefined }, runtime),
        keepsAttributeTypes: true,
        teardown: () => fake.close(),
      };
    },
  };
}

describeAdapterContract(
  eventGridSubject("Event Grid topic over HTTPS, access key", { tls: true, key: "k1" }, (f) => ({
    endpoint: `${f.url}/api/events`,
    key: "k1",
  })),
);
describeAdapterContract(
  eventGridSubject(
    "Event Grid namespace over HTTPS, SharedAccessKey",
    { tls: true, key: "k2", namespaceTopic: "orders" },
    (f) => ({
      endpoint: f.url,
      namespaceTopic: "orders",
      key: "k2",
    }),
  ),
);
describeAdapterContract(
  eventGridSubject(
    "Event Grid topic over plain HTTP, Entra ID",
    { entraSecret: "s3cret", key: "unused" },
    (f) => ({
      endpoint: `${f.url}/api/events`,
      allowInsecure: true,
      entra: { tenantId: "t1", clientId: "c1", clientSecret: "s3cret", authorityHost: f.url },
    }),
  ),
);

describe("Event Grid specifics", () => {
  const options = () => ({ signal: new AbortController().signal, deadline: Date.now() + 10_000 });
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
      expect(outcome).toMatchObject({ status: "terminal", targetStatus: 413 });
      const insecure = createEventGridAdapter({ endpoint: `${fake.url}/api/events`, key: "k" }, runtime);
      expect((await insecure.publish([{ event: event("x") }], options()))[0]?.status).toBe("terminal");
      expect(fake.requests).toHaveLength(0);
    } finally {
      await fake.close();
    }
  });

  it("reuses an Entra ID token", async () => {
    const fake = await startFakeEventGrid({ entraSecret: "s" });
    try {
      const adapter = createEventGridAdapter(
        {
          endpoint: `${fake.url}/api/events`,
          allowInsecure: true,
          entra: { tenantId: "t", clientId: "c", clientSecret: "s", authorityHost: fake.url },
        },
        { ...portableRuntime(), fetch: fake.fetch },
      );
      for (let i = 0; i < 3; i++)
        expect((await adapter.publish([{ event: event(`e-${i}`) }], options()))[0]?.status).toBe("acked");
      expect(fake.tokensIssued()).toBe(1);
    } finally {
      await fake.close();
    }
  });
});
