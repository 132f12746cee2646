/**
 * A JetStream `nats` target as a dead letter, against a real nats-server: a
 * message's own id is the `Nats-Msg-Id` (the stream drops a repeat of it and
 * keeps the same event under another id), and the adapter reads back what it
 * stored (attributes and data round-trip, a limit, removal by sequence, an
 * undecodable message passed over and reported).
 */
import { type JetStreamManager, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { headers, type NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { natsDescriptor } from "../../adapters/nats/descriptor.js";
import type { NatsAdapter } from "../../adapters/nats/index.js";
import { messageIdOf } from "../../adapters/nats/message-id.js";
import { createNodeNatsAdapter } from "../../adapters/nats/node/target.js";
import type { NatsOptions } from "../../adapters/nats/options.js";
import type { OutboundMessage } from "../../src/adapter/adapter.js";
import { readsBackDeadLetters } from "../../src/adapter/dead-letter-store.js";
import { portableRuntime } from "../../src/adapter/default-runtime.js";
import { allAttributes, type CloudEvent, EventData } from "../../src/event/cloud-event.js";
import { attemptOptions } from "../support/attempt.js";
import { expectConnected } from "../support/nats-contract-harness.js";
import { type NatsServer, startNatsServer } from "../support/nats-server.js";
import { bytes, event } from "./contract-events.js";

let server: NatsServer;
let admin: NatsConnection;
let jsm: JetStreamManager;
const adapters: NatsAdapter[] = [];

beforeAll(async () => {
  server = await startNatsServer();
  admin = await connect({ servers: server.url });
  jsm = await jetstreamManager(admin);
}, 30_000);

afterAll(async () => {
  await Promise.all(adapters.map((a) => a.close()));
  await admin?.close();
  await server?.dispose();
});

/** A stream of its own for each test, so counts and sequences are the test's alone. */
let streams = 0;
async function streamFor(subjects: string[]): Promise<string> {
  streams += 1;
  const name = `DEAD${streams}`;
  await jsm.streams.add({ name, subjects });
  return name;
}

async function adapterFor(options: Partial<NatsOptions> & { subject: string }): Promise<NatsAdapter> {
  const adapter = createNodeNatsAdapter({ url: server.url, ...options }, portableRuntime());
  adapters.push(adapter);
  await expectConnected(adapter);
  return adapter;
}

function storeOf(adapter: NatsAdapter) {
  const store = adapter.deadLetters();
  if (store === undefined) throw new Error("a JetStream target has a dead-letter store");
  return store;
}

async function publishAll(adapter: NatsAdapter, messages: OutboundMessage[]) {
  const outcomes = await adapter.publish(messages, attemptOptions());
  expect(outcomes.map((o) => o.status)).toEqual(messages.map(() => "acked"));
  return outcomes;
}

const messageCount = async (stream: string) => (await jsm.streams.info(stream)).state.messages;

/** What must survive the round trip: every attribute (as text, binary mode's headers) and the data's bytes. */
const comparable = (e: CloudEvent) => ({
  attributes: Object.fromEntries([...allAttributes(e)].map(([k, v]) => [k, String(v)])),
  data: e.data === undefined ? undefined : [...e.data.bytes],
});

/** A dead letter as the delivery layer would make one: extensions saying why. */
const deadLetter = (id: string, extra: Parameters<typeof event>[1] = {}) =>
  event(id, {
    subject: "order 1001 €",
    time: "2026-12-02T10:00:00Z",
    datacontenttype: "application/json",
    data: new EventData(bytes(`{"id":"${id}","total":12.50}`), "json"),
    ...extra,
    extensions: [
      ["deadletterreason", "HTTP 400: bad request"],
      ["deadlettertarget", "orders-http"],
      ...(extra.extensions ?? []),
    ],
  });

describe("the nats target's readsBack", () => {
  const readsBack = natsDescriptor.readsBack as (options: NatsOptions) => boolean;

  it("is true for JetStream, false for core NATS", () => {
    expect(readsBack({ url: "nats://x", subject: "a", jetstream: {} })).toBe(true);
    expect(readsBack({ url: "nats://x", subject: "a", jetstream: { stream: "S" } })).toBe(true);
    expect(readsBack({ url: "nats://x", subject: "a" })).toBe(false);
  });

  it("gives a core NATS adapter no store", async () => {
    const adapter = await adapterFor({ subject: "core.dead" });
    expect(readsBackDeadLetters(adapter)).toBe(true);
    expect(adapter.deadLetters()).toBeUndefined();
  });
});

describe("a message's own id", () => {
  it("is the Nats-Msg-Id: the stream drops a repeat of it and keeps the same event under another", async () => {
    const stream = await streamFor(["msgid.>"]);
    const adapter = await adapterFor({ subject: "msgid.dead", jetstream: { stream } });
    const letter = deadLetter("m1");
    const [first] = await publishAll(adapter, [{ event: letter, messageId: "from-http" }]);
    const [repeat] = await publishAll(adapter, [{ event: letter, messageId: "from-http" }]);
    const [other] = await publishAll(adapter, [{ event: letter, messageId: "from-pubsub" }]);
    expect(first?.status === "acked" && first.receipt.duplicate).toBeFalsy();
    expect(repeat?.status === "acked" && repeat.receipt.duplicate).toBe(true);
    expect(other?.status === "acked" && other.receipt.duplicate).toBeFalsy();
    expect(await messageCount(stream)).toBe(2);
    const stored = await Promise.all([1, 2].map((seq) => jsm.streams.getMessage(stream, { seq })));
    expect(stored.map((m) => m?.header.get("Nats-Msg-Id"))).toEqual(["from-http", "from-pubsub"]);
  });

  it("applies to a message the router encoded before, whose encoding knows nothing of it", async () => {
    const stream = await streamFor(["encoded.>"]);
    const adapter = await adapterFor({ subject: "encoded.dead", jetstream: { stream } });
    const letter = deadLetter("m2");
    const encoded = adapter.encoding?.encode({ event: letter });
    await publishAll(adapter, [{ event: letter, encoded, messageId: "pre-encoded" }]);
    const stored = await jsm.streams.getMessage(stream, { seq: 1 });
    expect(stored?.header.get("Nats-Msg-Id")).toBe("pre-encoded");
  });

  it("is counted in the size at its own length", () => {
    const encoding = natsDescriptor.encoding as (
      options: NatsOptions,
    ) => NonNullable<NatsAdapter["encoding"]>;
    const jetStream = encoding({ url: "nats://x", subject: "a", jetstream: {} });
    const letter = deadLetter("m3");
    const sizeOf = (messageId?: string) => {
      const encoded = jetStream.encode(
        messageId === undefined ? { event: letter } : { event: letter, messageId },
      );
      return encoded.ok ? encoded.size : Number.NaN;
    };
    expect(sizeOf("x".repeat(100)) - sizeOf()).toBe(100 - messageIdOf(letter).length);
  });

  it("is the hash of source and id when the message sets none", async () => {
    const stream = await streamFor(["hashed.>"]);
    const adapter = await adapterFor({ subject: "hashed.dead", jetstream: { stream } });
    const letter = deadLetter("m4");
    await publishAll(adapter, [{ event: letter }]);
    const stored = await jsm.streams.getMessage(stream, { seq: 1 });
    expect(stored?.header.get("Nats-Msg-Id")).toBe(messageIdOf(letter));
  });
});

describe("reading back a JetStream target's dead letters", () => {
  it("lists what was published, oldest first, attributes and data as they were", async () => {
    const stream = await streamFor(["rt.>"]);
    const adapter = await adapterFor({ subject: "rt.{type}", jetstream: { stream } });
    const letters = [
      deadLetter("r1"),
      deadLetter("r2", {
        datacontenttype: "application/octet-stream",
        data: new EventData(new Uint8Array([0, 1, 2, 255, 10, 13]), "binary"),
      }),
      deadLetter("r3", { data: undefined, datacontenttype: undefined, extensions: [["tenant", "a b%c"]] }),
    ];
    await publishAll(
      adapter,
      letters.map((e) => ({
        event: e,
        address: `rt.${e.attributes.type}`,
        messageId: `dl-${e.attributes.id}`,
      })),
    );
    const listed = await storeOf(adapter).list(10);
    expect(listed.map((l) => comparable(l.event))).toEqual(letters.map(comparable));
    expect(listed.map((l) => l.position)).toEqual(["1", "2", "3"]);
    expect(storeOf(adapter).skipped).toEqual([]);
  });

  it("reads structured mode back too", async () => {
    const stream = await streamFor(["st.>"]);
    const adapter = await adapterFor({ subject: "st.dead", mode: "structured", jetstream: { stream } });
    const letter = deadLetter("s1", { extensions: [["attempts", 3]] });
    await publishAll(adapter, [{ event: letter }]);
    const [listed] = await storeOf(adapter).list(10);
    expect(listed?.event.extensions.get("attempts")).toBe(3);
    expect(comparable(listed?.event as CloudEvent)).toEqual(comparable(letter));
  });

  it("lists no more than the limit, and nothing for a limit of 0", async () => {
    const stream = await streamFor(["lim.>"]);
    const adapter = await adapterFor({ subject: "lim.dead", jetstream: { stream } });
    await publishAll(
      adapter,
      ["l1", "l2", "l3", "l4"].map((id) => ({ event: deadLetter(id) })),
    );
    const listed = await storeOf(adapter).list(2);
    expect(listed.map((l) => l.event.attributes.id)).toEqual(["l1", "l2"]);
    expect(await storeOf(adapter).list(0)).toEqual([]);
  });

  it("removes by position: the message leaves the stream, the rest stay listed; removing it again is no error", async () => {
    const stream = await streamFor(["rm.>"]);
    const adapter = await adapterFor({ subject: "rm.dead", jetstream: { stream } });
    await publishAll(
      adapter,
      ["d1", "d2", "d3"].map((id) => ({ event: deadLetter(id) })),
    );
    const store = storeOf(adapter);
    const [first, second] = await store.list(10);
    // The middle one first: a gap in the stream's sequences does not end the list.
    await store.remove(second?.position as string);
    expect(await messageCount(stream)).toBe(2);
    expect((await store.list(10)).map((l) => [l.event.attributes.id, l.position])).toEqual([
      ["d1", "1"],
      ["d3", "3"],
    ]);
    await store.remove(first?.position as string);
    await store.remove(second?.position as string);
    expect(await messageCount(stream)).toBe(1);
    const after = await store.list(10);
    expect(after.map((l) => [l.event.attributes.id, l.position])).toEqual([["d3", "3"]]);
  });

  it("passes over a message that is not a CloudEvent, reports it, and lists the ones after it", async () => {
    const stream = await streamFor(["bad.>"]);
    const adapter = await adapterFor({ subject: "bad.dead", jetstream: { stream } });
    await publishAll(adapter, [{ event: deadLetter("b1") }]);
    const js = jetstream(admin);
    const h = headers();
    h.set("ce-id", "only-an-id");
    await js.publish("bad.dead", "not an event", { headers: h });
    await js.publish("bad.dead", '{"specversion":', {
      headers: (() => {
        const structured = headers();
        structured.set("content-type", "application/cloudevents+json");
        return structured;
      })(),
    });
    await publishAll(adapter, [{ event: deadLetter("b2") }]);
    const store = storeOf(adapter);
    const listed = await store.list(10);
    expect(listed.map((l) => l.event.attributes.id)).toEqual(["b1", "b2"]);
    expect(store.skipped.map((s) => [s.position, s.subject])).toEqual([
      ["2", "bad.dead"],
      ["3", "bad.dead"],
    ]);
    expect(store.skipped.every((s) => s.reason.length > 0)).toBe(true);
    // A limit counts the events listed, not the messages passed over.
    expect((await store.list(2)).map((l) => l.event.attributes.id)).toEqual(["b1", "b2"]);
  });

  it("lists only the subjects the target's template expands to, in a stream that holds others", async () => {
    const stream = await streamFor(["mixed.>"]);
    const adapter = await adapterFor({ subject: "mixed.dead.{type}.x", jetstream: { stream } });
    const other = await adapterFor({ subject: "mixed.live", jetstream: { stream } });
    await publishAll(other, [{ event: deadLetter("o1") }]);
    await publishAll(adapter, [
      { event: deadLetter("x1"), address: "mixed.dead.order.x" },
      { event: deadLetter("x2"), address: "mixed.dead.order.created.x" },
    ]);
    await publishAll(other, [{ event: deadLetter("o2"), address: "mixed.dead.order.y" }]);
    const listed = await storeOf(adapter).list(10);
    expect(listed.map((l) => [l.event.attributes.id, l.position])).toEqual([
      ["x1", "2"],
      ["x2", "3"],
    ]);
  });

  it("finds the stream by the target's subject when the options name none", async () => {
    const stream = await streamFor(["found.>"]);
    const adapter = await adapterFor({ subject: "found.{type}", jetstream: {} });
    await publishAll(adapter, [{ event: deadLetter("f1"), address: "found.order" }]);
    const store = storeOf(adapter);
    const [listed] = await store.list(10);
    expect(listed?.event.attributes.id).toBe("f1");
    await store.remove(listed?.position as string);
    expect(await messageCount(stream)).toBe(0);
    expect(await store.list(10)).toEqual([]);
  });

  it("says so when no stream holds the target's subject, or the stream named does not exist", async () => {
    const unheld = await adapterFor({ subject: "nowhere.{type}", jetstream: {} });
    await expect(storeOf(unheld).list(10)).rejects.toThrow(/No single JetStream stream holds nowhere\.>/);
    const missing = await adapterFor({ subject: "nowhere.dead", jetstream: { stream: "NO_SUCH_STREAM" } });
    await expect(storeOf(missing).list(10)).rejects.toThrow(/stream not found/);
    await expect(storeOf(missing).remove("1")).rejects.toThrow(/stream not found/);
  });

  it("refuses a position that is not a stream sequence", async () => {
    const stream = await streamFor(["pos.>"]);
    const adapter = await adapterFor({ subject: "pos.dead", jetstream: { stream } });
    await expect(storeOf(adapter).remove("not-a-sequence")).rejects.toThrow(/not a stream sequence/);
  });

  it("lists nothing from an empty stream", async () => {
    const stream = await streamFor(["empty.>"]);
    const adapter = await adapterFor({ subject: "empty.dead", jetstream: { stream } });
    expect(await storeOf(adapter).list(10)).toEqual([]);
  });
});
