/**
 * Gateway dedup when a delivery fails part-way: one route to two HTTP
 * receivers, B fails the first time. The producer is told 503, resends the
 * same event (same source and id) once B is back and is told 202: A got the
 * event once, B once. A third send is answered 202 duplicate and delivers
 * nothing.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  ACCEPT,
  type ControllableReceiver,
  startControllableReceiver,
  UNAVAILABLE,
} from "../support/controllable-receiver.js";
import { type FaultGateway, startGateway } from "../support/fault-gateway.js";
import { type LoadEvent, postEvent, reportCounts } from "../support/load-driver.js";

let gateway: FaultGateway | undefined;
const receivers: ControllableReceiver[] = [];
afterEach(async () => {
  await gateway?.stop();
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

const config = (a: string, b: string) => `
targets:
  a: { type: http, url: "${a}/a", timeoutMs: 2000 }
  b: { type: http, url: "${b}/b", timeoutMs: 2000 }
routes:
  - name: both
    to: [a, b]
delivery:
  timeoutMs: 5000
  dedup: { windowMs: 60000, maxEntries: 1000, store: { type: memory } }
`;

const EVENT: LoadEvent = { id: "order-1", source: "/faults/dedup", type: "com.example.order" };

describe("gateway dedup after a delivery that failed part-way", () => {
  it("delivers the resent event only where it had not arrived, then answers duplicate", async () => {
    const a = await startControllableReceiver(ACCEPT);
    const b = await startControllableReceiver(ACCEPT);
    receivers.push(a, b);
    let bCalls = 0;
    b.behave(() => (bCalls++ === 0 ? UNAVAILABLE : ACCEPT));
    gateway = await startGateway(config(a.url, b.url));

    const first = await postEvent(gateway.url, EVENT);
    expect(first.status).toBe(503);
    expect(first.retryAfter).not.toBeNull();
    expect(JSON.parse(first.body)).not.toHaveProperty("accepted");
    expect(a.accepted().map((r) => r.id)).toEqual([EVENT.id]);
    expect(b.requests.map((r) => r.answeredWith)).toEqual([503]);

    const second = await postEvent(gateway.url, EVENT);
    expect(second.status).toBe(202);
    const secondBody = JSON.parse(second.body) as { events: { id: string; duplicate?: true }[] };
    // B took it only now: a repeat that completes a partly failed event is not a duplicate.
    expect(secondBody.events).toEqual([{ id: EVENT.id, source: EVENT.source }]);

    const third = await postEvent(gateway.url, EVENT);
    expect(third.status).toBe(202);
    const thirdBody = JSON.parse(third.body) as { events: { id: string; duplicate?: true }[] };

    const sent = [first, second, third];
    const deliveredA = a.accepted().length;
    const deliveredB = b.accepted().length;
    reportCounts("dedup-partial", {
      sent: sent.length,
      accepted: sent.filter((s) => s.status === 202).length,
      deliveredA,
      deliveredB,
      duplicates: Math.max(0, deliveredA - 1) + Math.max(0, deliveredB - 1),
      lost: (deliveredA === 0 ? 1 : 0) + (deliveredB === 0 ? 1 : 0),
      "503s": sent.filter((s) => s.status === 503).length,
      requestsA: a.requests.length,
      requestsB: b.requests.length,
      secondMarkedDuplicate: String(secondBody.events[0]?.duplicate === true),
      thirdMarkedDuplicate: String(thirdBody.events[0]?.duplicate === true),
    });

    expect(thirdBody.events).toEqual([{ id: EVENT.id, source: EVENT.source, duplicate: true }]);
    // Once each where it was taken; the third send reached neither receiver.
    expect(a.accepted().map((r) => r.id)).toEqual([EVENT.id]);
    expect(b.accepted().map((r) => r.id)).toEqual([EVENT.id]);
    expect(a.requests).toHaveLength(1);
    expect(b.requests).toHaveLength(2);
  });
});
