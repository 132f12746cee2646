/**
 * Core NATS confirmation under concurrency, against a real nats-server: on
 * Node the publishes of one event-loop turn share one flush round trip, a
 * publish made after that flush went out waits for the next, a subject the
 * server refuses is refused for its own call only, and a server that stops
 * reading does not make the client buffer without bound.
 */
import type { Msg, NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNatsAdapter } from "../../adapters/nats/index.js";
import type { NatsOptions } from "../../adapters/nats/options.js";
import { SEND_BUDGET_BYTES } from "../../adapters/nats/publish-ledger.js";
import type { Adapter, AdapterRuntime, OutboundMessage, PublishOutcome } from "../../src/adapter/adapter.js";
import { portableRuntime } from "../../src/adapter/default-runtime.js";
import { nodeRuntime } from "../../src/entries/node/node-runtime.js";
import { EventData } from "../../src/event/cloud-event.js";
import { attemptOptions } from "../support/attempt.js";
import { expectConnected } from "../support/nats-contract-harness.js";
import { flushSpy } from "../support/nats-flush-spy.js";
import { recordMessages } from "../support/nats-recorder.js";
import { type NatsServer, startNatsServer } from "../support/nats-server.js";
import { event } from "./contract-events.js";

let server: NatsServer;
let subscriber: NatsConnection;
const received: Msg[] = [];

beforeAll(async () => {
  // The gateway may publish under ok.> only: anything else is refused by the server (-ERR).
  server = await startNatsServer({
    extraConfig: `authorization { users: [
      { user: gateway, password: secret, permissions: { publish: { allow: ["ok.>"] } } },
      { user: tester, password: secret }
    ] }`,
  });
  subscriber = await connect({ servers: server.url, user: "tester", pass: "secret" });
  await recordMessages(subscriber, "ok.>", received);
}, 30_000);

afterAll(async () => {
  await subscriber?.close();
  await server?.dispose();
});

const nodeLike = (): AdapterRuntime => ({ ...portableRuntime(), ...nodeRuntime });

async function withAdapter(
  runtime: AdapterRuntime,
  use: (adapter: Adapter, spy: ReturnType<typeof flushSpy>) => Promise<void>,
): Promise<void> {
  const spy = flushSpy();
  const options: NatsOptions = {
    url: server.url,
    subject: "ok.default",
    user: "gateway",
    pass: "secret",
    reconnectWaitMs: 100,
  };
  const adapter = createNatsAdapter(options, runtime, spy.transport);
  try {
    await expectConnected(adapter);
    await use(adapter, spy);
  } finally {
    await adapter.close();
  }
}

const to = (subject: string, id = `${subject}-${Math.random()}`): OutboundMessage => ({
  event: event(id),
  address: subject,
});

const statuses = (outcomes: readonly PublishOutcome[]) => outcomes.map((o) => o.status);
const idsOn = (prefix: string) =>
  received.filter((m) => m.subject.startsWith(prefix)).map((m) => m.headers?.get("ce-id"));

describe("core NATS publishes on Node share one flush per turn", () => {
  it("confirms 50 concurrent calls with one flush round trip", async () => {
    await withAdapter(nodeLike(), async (adapter, spy) => {
      const before = spy.flushes.length;
      const calls = Array.from({ length: 50 }, (_, i) =>
        adapter.publish([to(`ok.shared.${i}`)], attemptOptions()),
      );
      const outcomes = (await Promise.all(calls)).flat();
      expect(new Set(statuses(outcomes))).toEqual(new Set(["acked"]));
      expect(spy.flushes.length - before).toBe(1);
      await expect.poll(() => idsOn("ok.shared.").length).toBe(50);
    });
  });

  it("writes the publishes of requests handled in separate callbacks of one turn together, with their PING", async () => {
    await withAdapter(nodeLike(), async (adapter, spy) => {
      const first = spy.calls.length;
      // As requests arrive: each in an I/O callback of its own, with microtask checkpoints between them.
      const calls = Array.from(
        { length: 50 },
        (_, i) =>
          new Promise<readonly PublishOutcome[]>((resolve) =>
            setImmediate(() => resolve(adapter.publish([to(`ok.together.${i}`)], attemptOptions()))),
          ),
      );
      const outcomes = (await Promise.all(calls)).flat();
      expect(new Set(statuses(outcomes))).toEqual(new Set(["acked"]));
      const made = spy.calls.slice(first);
      expect(made.map((c) => c.kind)).toEqual([...Array(50).fill("publish"), "flush"]);
      // One synchronous run: nats.js hands them to the socket in one write.
      expect(new Set(made.map((c) => c.run)).size).toBe(1);
    });
  });

  it("does not ack a publish made after the shared flush went out with that flush's PONG", async () => {
    await withAdapter(nodeLike(), async (adapter, spy) => {
      spy.hold(true);
      const first = adapter.publish([to("ok.first")], attemptOptions());
      await expect.poll(() => spy.flushes.length).toBe(1);
      let secondDone = false;
      const second = adapter.publish([to("ok.second")], attemptOptions()).then((outcomes) => {
        secondDone = true;
        return outcomes;
      });
      // The second call's publish went out after the first PING: it needs a round trip of its own.
      await expect.poll(() => spy.flushes.length).toBe(2);
      spy.flushes[0]?.release();
      expect(statuses(await first)).toEqual(["acked"]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(secondDone).toBe(false);
      spy.flushes[1]?.release();
      expect(statuses(await second)).toEqual(["acked"]);
    });
  });

  it("refuses a denied subject for its own call and message only, in the same round as the rest", async () => {
    await withAdapter(nodeLike(), async (adapter, spy) => {
      const before = spy.flushes.length;
      const calls: Promise<readonly PublishOutcome[]>[] = Array.from({ length: 20 }, (_, i) =>
        adapter.publish([to(i === 7 ? "denied.alone" : `ok.mixed.${i}`)], attemptOptions()),
      );
      calls.push(
        adapter.publish([to("ok.mixed.a"), to("denied.inbatch"), to("ok.mixed.b")], attemptOptions()),
        // The server refuses each publish to a denied subject: both calls hear of it.
        adapter.publish([to("denied.twice")], attemptOptions()),
        adapter.publish([to("denied.twice")], attemptOptions()),
      );
      const outcomes = await Promise.all(calls);
      expect(spy.flushes.length - before).toBe(1);
      outcomes.slice(0, 20).forEach((call, i) => {
        expect(statuses(call), `call ${i}`).toEqual([i === 7 ? "terminal" : "acked"]);
      });
      expect(outcomes[7]?.[0]).toMatchObject({
        targetStatus: 403,
        reason: expect.stringContaining("denied.alone"),
      });
      expect(statuses(outcomes[20] ?? [])).toEqual(["acked", "terminal", "acked"]);
      expect(outcomes[20]?.[1]).toMatchObject({ targetStatus: 403 });
      expect(outcomes.slice(21).map((call) => call[0]?.status)).toEqual(["terminal", "terminal"]);
      // Nothing of those refusals is left over for later publishes.
      expect(statuses(await adapter.publish([to("ok.mixed.after")], attemptOptions()))).toEqual(["acked"]);
    });
  });
});

describe("a publish the server refuses, alone in its round", () => {
  // The -ERR comes before the PONG but reaches the adapter a few steps after it: the round must wait for it.
  it.each([
    ["on Node", nodeLike],
    ["on Workers", portableRuntime],
  ])("is refused %s, every time", async (_, runtime) => {
    await withAdapter(runtime(), async (adapter) => {
      for (let i = 0; i < 10; i++) {
        const outcomes = await adapter.publish([to("denied.single")], attemptOptions());
        expect(outcomes[0]).toMatchObject({ status: "terminal", targetStatus: 403 });
      }
    });
  });
});

describe("core NATS publishes where calls may not share work (Workers)", () => {
  it("confirms each call with a flush of its own, a batch with one", async () => {
    await withAdapter(portableRuntime(), async (adapter, spy) => {
      const before = spy.flushes.length;
      const calls = Array.from({ length: 10 }, (_, i) =>
        adapter.publish([to(`ok.own.${i}.a`), to(`ok.own.${i}.b`)], attemptOptions()),
      );
      calls.push(adapter.publish([to("ok.own.x"), to("denied.own")], attemptOptions()));
      const outcomes = await Promise.all(calls);
      expect(spy.flushes.length - before).toBe(11);
      expect(
        outcomes
          .slice(0, 10)
          .flat()
          .every((o) => o.status === "acked"),
      ).toBe(true);
      expect(statuses(outcomes[10] ?? [])).toEqual(["acked", "terminal"]);
    });
  });
});

describe("a server that stops reading", () => {
  it("gets no more than the send budget: later publishes wait, then fail as retriable without being sent", async () => {
    await withAdapter(nodeLike(), async (adapter) => {
      const message = (i: number): OutboundMessage => ({
        address: "ok.budget.big",
        event: event(`budget-${String(i).padStart(3, "0")}`, {
          datacontenttype: "application/octet-stream",
          data: new EventData(new Uint8Array(1_000_000), "binary"),
        }),
      });
      const encoded = adapter.encoding?.encode(message(0));
      if (encoded?.ok !== true) throw new Error("the test event cannot be encoded");
      const admitted = Math.floor(SEND_BUDGET_BYTES / encoded.size);
      const waiting = 10;

      await server.pause();
      let outcomes: PublishOutcome[];
      try {
        const calls = Array.from({ length: admitted + waiting }, (_, i) =>
          adapter.publish([message(i)], attemptOptions(1_000)),
        );
        outcomes = (await Promise.all(calls)).flat();
      } finally {
        server.resume();
      }
      expect(new Set(statuses(outcomes))).toEqual(new Set(["retriable"]));
      const notSent = outcomes.filter((o) => o.status === "retriable" && /not yet confirmed/.test(o.reason));
      expect(notSent).toHaveLength(waiting);
      // Once the server reads again it gets what was admitted, never what waited for room.
      await expect.poll(() => idsOn("ok.budget.big").length, { timeout: 10_000 }).toBe(admitted);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(idsOn("ok.budget.big")).toHaveLength(admitted);
      expect(statuses(await adapter.publish([to("ok.budget.after")], attemptOptions()))).toEqual(["acked"]);
    });
  });
});
