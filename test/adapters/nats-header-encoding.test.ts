/**
 * The NATS target's headerEncoding against a real nats-server: percent (the
 * binding's) or raw for subscribers on sdk-go, which never decode; raw
 * values with CR, LF or other control characters are refused, never sent.
 */
import { jetstreamManager } from "@nats-io/jetstream";
import type { Msg, NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeNatsAdapter } from "../../adapters/nats/node/target.js";
import type { NatsOptions } from "../../adapters/nats/options.js";
import { portableRuntime } from "../../src/adapter/default-runtime.js";
import { decodeNatsMessage } from "../../src/bindings/nats/decode.js";
import { type CloudEvent, createCloudEvent, EventData } from "../../src/event/cloud-event.js";
import { recordMessages } from "../support/nats-recorder.js";
import { type NatsServer, startNatsServer } from "../support/nats-server.js";

let server: NatsServer;
let subscriber: NatsConnection;
const received: Msg[] = [];

beforeAll(async () => {
  server = await startNatsServer();
  subscriber = await connect({ servers: server.url });
  const jsm = await jetstreamManager(subscriber);
  await jsm.streams.add({ name: "RAW", subjects: ["js.>"] });
  await recordMessages(subscriber, ">", received);
}, 30_000);

afterAll(async () => {
  await subscriber?.close();
  await server?.dispose();
});

const options = () => ({ signal: new AbortController().signal, deadline: Date.now() + 5_000 });

const order = (id: string, extensions: [string, string][] = []): CloudEvent =>
  createCloudEvent({
    attributes: { specversion: "1.0", id, source: "/shop", type: "order", subject: "order 1001" },
    extensions: new Map([["price", "Euro €"], ...extensions]),
    data: new EventData(new TextEncoder().encode('{"total":12.5}'), "json"),
  });

/** The message's headers as a subscriber on sdk-go reads them: UTF-8 text, not decoded. */
async function headersOn(subject: string): Promise<Record<string, string>> {
  await expect.poll(() => received.some((m) => m.subject === subject)).toBe(true);
  const msg = received.find((m) => m.subject === subject) as Msg;
  return Object.fromEntries([...(msg.headers ?? [])].map(([k, v]) => [k, v[0] ?? ""]));
}

async function withAdapter<T>(
  extra: Partial<NatsOptions>,
  use: (adapter: ReturnType<typeof createNodeNatsAdapter>) => Promise<T>,
) {
  const adapter = createNodeNatsAdapter({ url: server.url, subject: "core.x", ...extra }, portableRuntime());
  try {
    await expect.poll(() => adapter.ready(), { timeout: 10_000 }).toBe(true);
    return await use(adapter);
  } finally {
    await adapter.close();
  }
}

describe("the nats target's headerEncoding", () => {
  it("percent-encodes values by default, as the binding says", async () => {
    await withAdapter({}, async (adapter) => {
      const [outcome] = await adapter.publish([{ event: order("p1"), address: "core.percent" }], options());
      expect(outcome?.status).toBe("acked");
    });
    expect(await headersOn("core.percent")).toMatchObject({
      "ce-subject": "order%201001",
      "ce-price": "Euro%20%E2%82%AC",
      "ce-datacontenttype": "application/json",
    });
  });

  it("sends values as they are (UTF-8) with raw, for subscribers on sdk-go", async () => {
    await withAdapter({ headerEncoding: "raw" }, async (adapter) => {
      const [outcome] = await adapter.publish(
        [{ event: order("r1", [["progress", "100%"]]), address: "core.raw" }],
        options(),
      );
      expect(outcome?.status).toBe("acked");
    });
    expect(await headersOn("core.raw")).toMatchObject({
      "ce-subject": "order 1001",
      "ce-price": "Euro €",
      "ce-progress": "100%",
      "ce-datacontenttype": "application/json",
    });
  });

  it("reads raw values back with the binding's decoder (as ce-gateway tail does), Latin-1 letters and % included", async () => {
    await withAdapter({ headerEncoding: "raw" }, async (adapter) => {
      const [outcome] = await adapter.publish(
        [{ event: order("r2", [["greeting", "Grüße 😀 100%"]]), address: "core.readback" }],
        options(),
      );
      expect(outcome?.status).toBe("acked");
    });
    await headersOn("core.readback");
    const msg = received.find((m) => m.subject === "core.readback") as Msg;
    const event = decodeNatsMessage(msg.headers ? [...msg.headers] : [], msg.data);
    expect(event.extensions.get("greeting")).toBe("Grüße 😀 100%");
    expect(event.attributes.subject).toBe("order 1001");
    expect(event.data?.json()).toEqual({ total: 12.5 });
  });

  it.each([
    ["core NATS", {}, "core.refused"],
    ["JetStream", { jetstream: { stream: "RAW" } }, "js.refused"],
  ] as const)(
    "refuses a raw value with CR or LF as terminal, before sending, on %s",
    async (_, extra, subject) => {
      const outcomes = await withAdapter({ headerEncoding: "raw", ...extra }, (adapter) =>
        adapter.publish(
          [
            { event: order("bad", [["note", "a\r\nce-id: forged"]]), address: subject },
            { event: order("good"), address: subject },
          ],
          options(),
        ),
      );
      expect(outcomes[0]).toMatchObject({
        status: "terminal",
        reason: expect.stringMatching(/ce-note.*U\+000D/),
      });
      expect(outcomes[1]?.status).toBe("acked");
      await expect.poll(() => received.filter((m) => m.subject === subject).length).toBe(1);
      expect((await headersOn(subject))["ce-id"]).toBe("good");
    },
  );
});
