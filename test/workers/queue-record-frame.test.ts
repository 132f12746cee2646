/**
 * Outbox records as Cloudflare Queue message bodies: what is framed comes
 * back whole, retries keep fitting in the room kept for them, and the size
 * refused at ingress is the exact frame size against Queues' 128 KB.
 */
import { describe, expect, it } from "vitest";
import type { NewOutboxRecord } from "../../src/deliver/outbox/outbox-store.js";
import {
  frameNewRecord,
  frameRescheduled,
  MAX_FRAME_BYTES,
  RESCHEDULE_RESERVE_BYTES,
  unframeRecord,
  whyTooLargeForQueue,
} from "../../src/entries/workers/queue-record-frame.js";

const bytes = (text: string) => new TextEncoder().encode(text);

const record = (eventBytes: number, extra: Partial<NewOutboxRecord> = {}): NewOutboxRecord => ({
  target: "orders",
  event: new Uint8Array(eventBytes).fill(0x61),
  acceptedAt: 1_700_000_000_000,
  ...extra,
});

describe("outbox records as queue messages", () => {
  it("comes back as it was framed, original event, route and dead letter included", () => {
    const framed = frameNewRecord(
      record(0, {
        event: bytes('{"id":"1"}'),
        original: bytes('{"id":"0"}'),
        route: "r",
        orderingKey: "k",
        deadLetter: "dl",
      }),
    );
    const back = unframeRecord("m-1", framed.buffer);
    expect(back.ok && back.record).toMatchObject({
      id: "m-1",
      target: "orders",
      route: "r",
      orderingKey: "k",
      deadLetter: "dl",
      attempts: 0,
      notBefore: 0,
      acceptedAt: 1_700_000_000_000,
    });
    if (!back.ok) return;
    expect(new TextDecoder().decode(back.record.event)).toBe('{"id":"1"}');
    expect(new TextDecoder().decode(back.record.original)).toBe('{"id":"0"}');
  });

  it("keeps where a retried record's attempts stand, its last error cut to the room kept for it", () => {
    const first = unframeRecord("m-1", frameNewRecord(record(10)));
    if (!first.ok) throw new Error(first.reason);
    const update = {
      attempts: 4,
      notBefore: 5,
      firstAttemptAt: 1,
      lastAttemptAt: 2,
      lastError: `HTTP 503 ${"é".repeat(5_000)}`,
    };
    const again = frameRescheduled(first.record, update);
    expect(again.length - frameNewRecord(record(10)).length).toBeLessThanOrEqual(RESCHEDULE_RESERVE_BYTES);
    const back = unframeRecord("m-2", again);
    expect(back.ok && back.record).toMatchObject({
      id: "m-2",
      attempts: 4,
      firstAttemptAt: 1,
      lastAttemptAt: 2,
    });
    if (back.ok) expect(back.record.lastError?.startsWith("HTTP 503 éé")).toBe(true);
  });

  it("refuses exactly the records whose frame and retry room pass the message limit", () => {
    const overhead = frameNewRecord(record(0)).length;
    const largest = MAX_FRAME_BYTES - RESCHEDULE_RESERVE_BYTES - overhead;
    // The header's event length grows by digits as the event does: find the exact edge.
    let edge = largest;
    while (whyTooLargeForQueue(record(edge)) !== undefined) edge -= 1;
    expect(largest - edge).toBeLessThan(8);
    expect(whyTooLargeForQueue(record(edge + 1))).toMatch(/at most 128000 bytes/);
    const atEdge = unframeRecord("m", frameNewRecord(record(edge)));
    if (!atEdge.ok) throw new Error(atEdge.reason);
    const retried = frameRescheduled(atEdge.record, {
      attempts: 99,
      notBefore: 9_999_999_999_999,
      firstAttemptAt: 9_999_999_999_999,
      lastAttemptAt: 9_999_999_999_999,
      lastError: '"\u0001'.repeat(2_000),
    });
    expect(retried.length).toBeLessThanOrEqual(MAX_FRAME_BYTES);
  });

  it("says what is wrong with a message that is no record", () => {
    expect(unframeRecord("m", "text")).toEqual({ ok: false, reason: expect.stringMatching(/bytes body/) });
    const torn = frameNewRecord(record(10)).subarray(0, 20);
    expect(unframeRecord("m", torn).ok).toBe(false);
    const short = frameNewRecord(record(10)).subarray(0, -1);
    expect(unframeRecord("m", short)).toEqual({ ok: false, reason: expect.stringMatching(/length/) });
  });
});
