/**
 * The adapter contract suite: every delivery target runs it, against a real
 * server or a local server speaking the real wire protocol. Optional parts
 * are gated by the adapter's declared capabilities or by the failure
 * injections its harness offers, and skip with a visible reason.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Adapter, OutboundMessage, PublishOutcome } from "../../src/adapter/adapter.js";
import { allAttributes, type CloudEvent, createCloudEvent, EventData } from "../../src/event/cloud-event.js";
import { eventWireSize } from "../../src/event/json-format.js";
import { attemptOptions } from "../support/attempt.js";
import { bytes, event, roundTripCases } from "./contract-events.js";

export interface ReceivedEvent {
  readonly event: CloudEvent;
  /** Where it arrived (subject, path), when the target has addresses. */
  readonly address?: string;
  /**
   * How a receiver that follows the binding reads it, where that differs from
   * `event` (the gateway's own decoder, which may be more lenient). Absent:
   * the content type and data of `event`.
   */
  readonly receiverView?: () => ReceiverView;
}

/** What a receiver reads of an event's data: the content type on the wire and the data as it types it. */
export interface ReceiverView {
  readonly datacontenttype: string | undefined;
  /** A parsed JSON value, a string, or bytes. */
  readonly data: unknown;
}

export interface ContractHarness {
  readonly adapter: Adapter;
  /** The address to publish a test's events to, under this run's unique prefix; absent when the target has none. */
  addressFor?(runId: string, name: string): string;
  /** Events the target received whose id starts with `idPrefix`, waiting until `count` arrived (or a timeout). */
  received(idPrefix: string, count: number): Promise<ReceivedEvent[]>;
  teardown(): Promise<void>;
  /** An adapter of the same kind pointed at an address where nothing listens. */
  unreachable?(): Promise<Adapter>;
  /** An adapter of the same kind whose target refuses every event for good. */
  refusing?(): Promise<Adapter>;
  /** Takes the target down and brings it back, for ready(). */
  outage?: { stop(): Promise<void>; start(): Promise<void> };
  /**
   * The target carries Integer and Boolean attributes as such (structured
   * modes). Binary modes carry every extension as a String, per the bindings.
   */
  readonly keepsAttributeTypes?: boolean;
  /**
   * The target writes a binary mode: datacontenttype travels outside the
   * JSON format (a header or message attribute), so JSON data without one
   * must go out with the content type the JSON format implies.
   */
  readonly writesBinaryMode?: boolean;
}

export interface ContractSubject {
  readonly name: string;
  setup(): Promise<ContractHarness>;
}

const options = attemptOptions;

/** The attempt an unreachable target gets: the delivery layer would end it at the target's timeout. */
const UNREACHABLE_ATTEMPT_MS = 1_000;

/** The size the adapter's encoding gives a message (the JSON format's without one); NaN if it cannot encode it. */
function encodedSizeOf(adapter: Adapter, message: OutboundMessage): number {
  const encoded = adapter.encoding?.encode(message);
  if (encoded === undefined) return eventWireSize(message.event);
  return encoded.ok ? encoded.size : Number.NaN;
}

/** The content type and data of an event as read by the gateway's decoder for the binding. */
function viewOf(received: ReceivedEvent | undefined): ReceiverView {
  if (received === undefined) throw new Error("nothing was received");
  if (received.receiverView !== undefined) return received.receiverView();
  const { event: e } = received;
  const data = e.data;
  return {
    datacontenttype: e.attributes.datacontenttype,
    data: data?.encoding === "json" ? data.json() : data?.encoding === "text" ? data.text() : data?.bytes,
  };
}

/** Attributes as strings: binary modes carry every extension as a String. */
const attributesOf = (e: CloudEvent, typed = false) =>
  Object.fromEntries([...allAttributes(e)].map(([k, v]) => [k, typed ? v : String(v)]));

export function describeAdapterContract(subject: ContractSubject): void {
  describe(`adapter contract: ${subject.name}`, () => {
    let harness: ContractHarness;
    const runId = `run${randomUUID().slice(0, 8)}`;
    beforeAll(async () => {
      harness = await subject.setup();
    }, 60_000);
    afterAll(async () => {
      await harness?.teardown();
    });

    const message = (e: CloudEvent, name: string): OutboundMessage => {
      const address = harness.addressFor?.(runId, name);
      return address === undefined ? { event: e } : { event: e, address };
    };
    const expectAcked = (outcomes: readonly PublishOutcome[]) => {
      for (const outcome of outcomes)
        expect(outcome, JSON.stringify(outcome)).toMatchObject({ status: "acked" });
    };

    it("publishes one event, acked and received unchanged", async () => {
      const e = event(`${runId}-one`, {
        datacontenttype: "application/json",
        data: new EventData(bytes('{"n":1}'), "json"),
      });
      const outcomes = await harness.adapter.publish([message(e, "one")], options());
      expect(outcomes).toHaveLength(1);
      expectAcked(outcomes);
      const [received] = await harness.received(`${runId}-one`, 1);
      expect(attributesOf(received?.event as CloudEvent)).toEqual(attributesOf(e));
      if (harness.addressFor !== undefined) expect(received?.address).toBe(harness.addressFor(runId, "one"));
    });

    it("publishes a batch, one outcome per event, received in order", async () => {
      const events = Array.from({ length: 10 }, (_, i) =>
        event(`${runId}-batch-${String(i).padStart(2, "0")}`),
      );
      const outcomes = await harness.adapter.publish(
        events.map((e) => message(e, "batch")),
        options(),
      );
      expect(outcomes).toHaveLength(10);
      expectAcked(outcomes);
      const received = await harness.received(`${runId}-batch-`, 10);
      const ids = received.map((r) => r.event.attributes.id);
      // A target that sends a batch as one unit keeps its order; one request per event may arrive in any order.
      if (harness.adapter.capabilities.batching) expect(ids).toEqual(events.map((e) => e.attributes.id));
      else expect([...ids].sort()).toEqual(events.map((e) => e.attributes.id).sort());
    });

    describe("round trips without loss", () => {
      for (const [what, make] of roundTripCases("rt").map(([w, e]) => [w, e] as const)) {
        it(what, async () => {
          const e = createCloudEvent({
            attributes: { ...make.attributes, id: `${runId}-${make.attributes.id}` },
            extensions: make.extensions,
            data: make.data,
          });
          expectAcked(await harness.adapter.publish([message(e, "roundtrip")], options()));
          const [received] = await harness.received(e.attributes.id, 1);
          const got = received?.event as CloudEvent;
          expect(attributesOf(got, harness.keepsAttributeTypes)).toEqual(
            attributesOf(e, harness.keepsAttributeTypes),
          );
          if (e.data === undefined) expect(got.data).toBeUndefined();
          else
            expect(new TextDecoder("latin1").decode(got.data?.bytes)).toBe(
              new TextDecoder("latin1").decode(e.data.bytes),
            );
        });
      }
    });

    describe("data content types on the wire", () => {
      const roundTrip = async (e: CloudEvent) => {
        expectAcked(await harness.adapter.publish([message(e, "content-types")], options()));
        const [received] = await harness.received(e.attributes.id, 1);
        return received;
      };

      it("JSON data without datacontenttype is read back as JSON", async () => {
        const json = '{"a": [1, 2]}';
        const received = await roundTrip(
          event(`${runId}-implied-json`, { data: new EventData(bytes(json), "json") }),
        );
        const view = viewOf(received);
        expect(view.data).toEqual({ a: [1, 2] });
        // Binary modes state the implied type; the JSON format implies it by itself.
        expect(view.datacontenttype).toBe(harness.writesBinaryMode ? "application/json" : undefined);
        expect(new TextDecoder().decode(received?.event.data?.bytes)).toBe(json);
      });

      it("binary data without datacontenttype gets no content type", async () => {
        const data = new Uint8Array([0, 159, 255, 10]);
        const received = await roundTrip(
          event(`${runId}-untyped-binary`, { data: new EventData(data, "binary") }),
        );
        expect(viewOf(received).datacontenttype).toBeUndefined();
        expect(received?.event.attributes.datacontenttype).toBeUndefined();
        expect([...(received?.event.data?.bytes ?? [])]).toEqual([...data]);
      });

      it("text data keeps its own content type", async () => {
        const received = await roundTrip(
          event(`${runId}-typed-text`, {
            datacontenttype: "text/plain; charset=utf-8",
            data: new EventData(bytes("Grüße, 🌎"), "text"),
          }),
        );
        expect(viewOf(received)).toEqual({ datacontenttype: "text/plain; charset=utf-8", data: "Grüße, 🌎" });
      });
    });

    it("carries a 64 KiB event", async () => {
      const e = event(`${runId}-64k`, {
        datacontenttype: "text/plain",
        data: new EventData(bytes("x".repeat(64 * 1024)), "text"),
      });
      expectAcked(await harness.adapter.publish([message(e, "big")], options()));
      const [received] = await harness.received(`${runId}-64k`, 1);
      expect(received?.event.data?.bytes.length).toBe(64 * 1024);
    });

    describe("the declared maxEventBytes", () => {
      const sized = (id: string, total: number, name: string) => {
        // Plain ASCII text grows byte for byte in every encoding (base64 would not).
        const probe = (n: number) =>
          message(
            event(id, { datacontenttype: "text/plain", data: new EventData(bytes("x".repeat(n)), "text") }),
            name,
          );
        const overhead = encodedSizeOf(harness.adapter, probe(0));
        return probe(total - overhead);
      };

      it("carries an event of exactly maxEventBytes", async (ctx) => {
        const max = harness.adapter.capabilities.maxEventBytes;
        if (!Number.isFinite(max)) return ctx.skip(`${subject.name} declares no size limit`);
        const m = sized(`${runId}-max`, max, "max");
        expect(encodedSizeOf(harness.adapter, m)).toBe(max);
        expectAcked(await harness.adapter.publish([m], options()));
        const received = await harness.received(`${runId}-max`, 1);
        expect(received).toHaveLength(1);
        expect(received[0]?.event.data?.bytes.length).toBe(m.event.data?.bytes.length);
      });

      it("refuses one byte more as terminal, before sending", async (ctx) => {
        const max = harness.adapter.capabilities.maxEventBytes;
        if (!Number.isFinite(max)) return ctx.skip(`${subject.name} declares no size limit`);
        const m = sized(`${runId}-over`, max + 1, "over");
        const [outcome] = await harness.adapter.publish([m], options());
        expect(outcome?.status).toBe("terminal");
        expect(await harness.received(`${runId}-over`, 0)).toEqual([]);
      });
    });

    it("gives retriable when the target is unreachable", async (ctx) => {
      if (harness.unreachable === undefined)
        return ctx.skip(`${subject.name} runs in process and cannot be unreachable`);
      const adapter = await harness.unreachable();
      try {
        const [outcome] = await adapter.publish(
          [message(event(`${runId}-unreachable`), "unreachable")],
          options(UNREACHABLE_ATTEMPT_MS),
        );
        expect(outcome?.status).toBe("retriable");
        // Only a target with a connection can know it is down before it sends.
        if (harness.outage !== undefined) expect(await adapter.ready()).toBe(false);
      } finally {
        await adapter.close();
      }
    });

    it("gives terminal when the target refuses the event", async (ctx) => {
      if (harness.refusing === undefined) return ctx.skip(`${subject.name} never refuses an event`);
      const adapter = await harness.refusing();
      try {
        const [outcome] = await adapter.publish([message(event(`${runId}-refused`), "refused")], options());
        expect(outcome?.status).toBe("terminal");
      } finally {
        await adapter.close();
      }
    });

    it("reports ready() following the connection", async (ctx) => {
      if (harness.outage === undefined) return ctx.skip(`${subject.name} has no connection to lose`);
      expect(await harness.adapter.ready()).toBe(true);
      await harness.outage.stop();
      await expect.poll(() => harness.adapter.ready(), { timeout: 10_000 }).toBe(false);
      await harness.outage.start();
      await expect.poll(() => harness.adapter.ready(), { timeout: 15_000 }).toBe(true);
      expectAcked(
        await harness.adapter.publish([message(event(`${runId}-after-outage`), "outage")], options()),
      );
    });

    it("drops a repeated event when the broker deduplicates", async (ctx) => {
      if (!harness.adapter.capabilities.brokerDedup)
        return ctx.skip(`${subject.name} declares no broker dedup`);
      const e = event(`${runId}-dedup`);
      const [first] = await harness.adapter.publish([message(e, "dedup")], options());
      const [second] = await harness.adapter.publish([message(e, "dedup")], options());
      expect(first).toMatchObject({ status: "acked", receipt: { duplicate: false } });
      expect(second).toMatchObject({ status: "acked", receipt: { duplicate: true } });
    });

    it("closes idempotently", async () => {
      await harness.adapter.close();
      await harness.adapter.close();
      // A target with a connection is no longer ready once closed.
      if (harness.outage !== undefined) expect(await harness.adapter.ready()).toBe(false);
    });
  });
}

/** Polls `read` until `count` events with the prefix arrived; with count 0, waits a moment to see that none do. */
export async function collect(
  read: () => readonly ReceivedEvent[],
  idPrefix: string,
  count: number,
): Promise<ReceivedEvent[]> {
  const matching = () => read().filter((r) => r.event.attributes.id.startsWith(idPrefix));
  const deadline = Date.now() + (count === 0 ? 300 : 10_000);
  while (Date.now() < deadline) {
    if (count > 0 && matching().length >= count) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  return matching();
}

/** An adapter that publishes to its own configured address, whatever address the suite gives. */
export function ignoringAddress(adapter: Adapter): Adapter {
  return {
    ...adapter,
    publish: (messages, options) =>
      adapter.publish(
        messages.map((m) => ({ event: m.event })),
        options,
      ),
  };
}
