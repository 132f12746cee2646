/**
 * JetStream publishing under concurrency, against a real nats-server: a
 * batch is stored in the order given with each duplicate flagged,
 * concurrent batches each keep their order, a subject no stream captures is
 * retriable at once, and a subject the server refuses is refused for its own
 * call only.
 */
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNatsAdapter } from "../../adapters/nats/index.js";
import { createNodeNatsAdapter } from "../../adapters/nats/node/target.js";
import type { Adapter, OutboundMessage, PublishOutcome } from "../../src/adapter/adapter.js";
import { portableRuntime } from "../../src/adapter/default-runtime.js";
import { nodeRuntime } from "../../src/entries/node/node-runtime.js";
import { attemptOptions } from "../support/attempt.js";
import { expectConnected } from "../support/nats-contract-harness.js";
import { flushSpy } from "../support/nats-flush-spy.js";
import { type NatsServer, startNatsServer } from "../support/nats-server.js";
import { event } from "./contract-events.js";

let server: NatsServer;
let admin: NatsConnection;
let adapter: Adapter;

beforeAll(async () => {
  server = await startNatsServer({
    extraConfig: `authorization { users: [
      { user: gateway, password: secret, permissions: { publish: { allow: ["js.>", "nostream.>", "$JS.API.>"] } } },
      { user: admin, password: secret }
    ] }`,
  });
  admin = await connect({ servers: server.url, user: "admin", pass: "secret" });
  // The stream captures denied.> too: a refusal there comes from the server's permissions, not from JetStream.
  await (await jetstreamManager(admin)).streams.add({ name: "ORDERS", subjects: ["js.>", "denied.>"] });
  adapter = createNodeNatsAdapter(
    {
      url: server.url,
      subject: "js.default",
      user: "gateway",
      pass: "secret",
      jetstream: { stream: "ORDERS" },
      reconnectWaitMs: 100,
    },
    { ...portableRuntime(), ...nodeRuntime },
  );
  await expectConnected(adapter);
}, 30_000);

afterAll(async () => {
  await adapter?.close();
  await admin?.close();
  await server?.dispose();
});

const to = (subject: string, id: string): OutboundMessage => ({ event: event(id), address: subject });

const sequenceOf = (outcome: PublishOutcome | undefined) =>
  outcome?.status === "acked" ? Number(outcome.receipt.sequence) : Number.NaN;

/** The ids stored under `subject`, in stream order. */
async function storedIds(subject: string): Promise<string[]> {
  const js = jetstream(admin);
  const consumer = await js.consumers.get("ORDERS", { filter_subjects: subject });
  const ids: string[] = [];
  for (;;) {
    const m = await consumer.next({ expires: 1_000 });
    if (m === null) return ids;
    ids.push(m.headers?.get("ce-id") ?? "");
    if (m.info.pending === 0) return ids;
  }
}

const isIncreasing = (numbers: readonly number[]) =>
  numbers.every((n, i) => i === 0 || n > (numbers[i - 1] ?? 0));

describe("JetStream calls of one turn", () => {
  it("are written together: requests handled in separate callbacks publish in one synchronous run", async () => {
    const spy = flushSpy();
    const own = createNatsAdapter(
      {
        url: server.url,
        subject: "js.default",
        user: "gateway",
        pass: "secret",
        jetstream: { stream: "ORDERS" },
      },
      { ...portableRuntime(), ...nodeRuntime },
      spy.transport,
    );
    try {
      await expectConnected(own);
      const first = spy.calls.length;
      const calls = Array.from(
        { length: 30 },
        (_, i) =>
          new Promise<readonly PublishOutcome[]>((resolve) =>
            setImmediate(() => resolve(own.publish([to("js.turn", `turn-${i}`)], attemptOptions()))),
          ),
      );
      const outcomes = (await Promise.all(calls)).flat();
      expect(new Set(outcomes.map((o) => o.status))).toEqual(new Set(["acked"]));
      const publishes = spy.calls.slice(first).filter((c) => c.kind === "publish");
      expect(publishes).toHaveLength(30);
      expect(new Set(publishes.map((c) => c.run)).size).toBe(1);
    } finally {
      await own.close();
    }
  });
});

describe("JetStream batches", () => {
  it("stores a batch in the order given, and flags the duplicate in it with the original's sequence", async () => {
    const ids = Array.from({ length: 100 }, (_, i) => `order-${String(i).padStart(3, "0")}`);
    // The 61st message repeats the 11th (same source and id): the stream keeps the first.
    const batch = ids.map((id, i) => to("js.order", i === 60 ? (ids[10] as string) : id));
    const outcomes = await adapter.publish(batch, attemptOptions());
    expect(outcomes.every((o) => o.status === "acked")).toBe(true);
    expect(outcomes.map((o) => (o.status === "acked" ? o.receipt.duplicate : undefined))).toEqual(
      batch.map((_, i) => i === 60),
    );
    expect(sequenceOf(outcomes[60])).toBe(sequenceOf(outcomes[10]));
    const stored = outcomes.filter((_, i) => i !== 60);
    expect(isIncreasing(stored.map(sequenceOf))).toBe(true);
    expect(await storedIds("js.order")).toEqual(ids.filter((_, i) => i !== 60));
  });

  it("keeps the order of each of many concurrent batches", async () => {
    const calls = Array.from({ length: 10 }, (_, c) =>
      adapter.publish(
        Array.from({ length: 30 }, (_, i) => to(`js.concurrent.${c}`, `c${c}-${String(i).padStart(2, "0")}`)),
        attemptOptions(),
      ),
    );
    const outcomes = await Promise.all(calls);
    for (const call of outcomes) {
      expect(call.every((o) => o.status === "acked" && o.receipt.duplicate === false)).toBe(true);
      expect(isIncreasing(call.map(sequenceOf))).toBe(true);
    }
    expect(new Set(outcomes.flat().map(sequenceOf)).size).toBe(300);
    expect(await storedIds("js.concurrent.3")).toEqual(
      Array.from({ length: 30 }, (_, i) => `c3-${String(i).padStart(2, "0")}`),
    );
  });

  it("gives retriable at once for a batch to a subject no stream captures", async () => {
    const started = Date.now();
    const outcomes = await adapter.publish(
      Array.from({ length: 20 }, (_, i) => to("nostream.orders", `lost-${i}`)),
      attemptOptions(5_000),
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    for (const outcome of outcomes)
      expect(outcome).toMatchObject({
        status: "retriable",
        reason: expect.stringContaining("No JetStream stream answered for subject nostream.orders"),
      });
  });

  it("refuses a subject the server denies for its own call and message only", async () => {
    const calls: Promise<readonly PublishOutcome[]>[] = Array.from({ length: 20 }, (_, i) =>
      adapter.publish([to(i === 5 ? "denied.orders" : `js.mixed.${i}`, `mixed-${i}`)], attemptOptions()),
    );
    calls.push(
      adapter.publish(
        [to("js.mixed.a", "mixed-a"), to("denied.orders", "mixed-denied"), to("js.mixed.b", "mixed-b")],
        attemptOptions(),
      ),
    );
    const outcomes = await Promise.all(calls);
    outcomes.slice(0, 20).forEach((call, i) => {
      expect(call[0]?.status, `call ${i}`).toBe(i === 5 ? "terminal" : "acked");
    });
    expect(outcomes[5]?.[0]).toMatchObject({ targetStatus: 403 });
    expect(outcomes[20]?.map((o) => o.status)).toEqual(["acked", "terminal", "acked"]);
    expect(outcomes[20]?.[1]).toMatchObject({ targetStatus: 403 });
    expect(await storedIds("denied.>")).toEqual([]);
  });
});
