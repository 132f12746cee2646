/**
 * The console's live tail, fed by the real pipeline (createGateway with a
 * memory target): nothing is kept while nobody watches; a subscriber hears
 * each event with its verdict and routes, then its delivery; the ring keeps
 * a bounded backlog for the next viewer.
 */
import { describe, expect, it } from "vitest";
import { createMemoryAdapter } from "../../adapters/memory/index.js";
import { lineDiff } from "../../src/console/line-diff.js";
import { LiveTail, type TailItem } from "../../src/console/live-tail.js";
import { createGateway } from "../../src/http/create-gateway.js";

function gatewayWithTail() {
  let tail: LiveTail | undefined;
  const gateway = createGateway(
    { routes: [{ name: "all", to: ["memory"] }] },
    {
      targets: { memory: createMemoryAdapter() },
      observer: { report: (report) => tail?.report(report) },
    },
  );
  tail = new LiveTail(() => gateway.state.routing);
  const post = async (id: string) => {
    const response = await gateway.request("/events", {
      method: "POST",
      headers: { "content-type": "application/cloudevents+json" },
      body: JSON.stringify({ specversion: "1.0", id, source: "/t", type: "com.example.t", data: { n: 1 } }),
    });
    expect(response.status).toBe(202);
  };
  return { gateway, tail, post };
}

describe("the live tail", () => {
  it("keeps nothing while nobody watches", async () => {
    const { tail, post, gateway } = gatewayWithTail();
    await post("unwatched-1");
    expect(tail.recent()).toEqual([]);
    await gateway.close();
  });

  it("tells a subscriber each event, then its delivery, and stops when it leaves", async () => {
    const { tail, post, gateway } = gatewayWithTail();
    const heard: TailItem[] = [];
    const stop = tail.subscribe((item) => heard.push(item));
    await post("watched-1");
    expect(heard.map((i) => i.message.kind)).toEqual(["event", "delivery"]);
    expect(heard[0]?.message).toMatchObject({
      kind: "event",
      id: "watched-1",
      routes: ["all"],
      targets: ["memory"],
      event: { data: { n: 1 } },
    });
    expect(heard[1]?.message).toMatchObject({
      kind: "delivery",
      index: 0,
      target: "memory",
      status: "acked",
    });
    stop();
    await post("after-1");
    expect(heard).toHaveLength(2);
    // What was seen while watched stays for the next viewer; what passed unwatched does not.
    expect(tail.recent().map((i) => i.message.kind)).toEqual(["event", "delivery"]);
    await gateway.close();
  });

  it("bounds its backlog", async () => {
    const { tail, post, gateway } = gatewayWithTail();
    const stop = tail.subscribe(() => {});
    for (let i = 0; i < 150; i++) await post(`many-${i}`);
    stop();
    expect(tail.recent().length).toBe(200);
    await gateway.close();
  });

  it("ends every subscription when asked (a listener shutting down)", () => {
    const { tail } = gatewayWithTail();
    let ended = 0;
    tail.subscribe(
      () => {},
      () => ended++,
    );
    tail.end();
    expect(ended).toBe(1);
    expect(tail.watching).toBe(0);
  });
});

describe("the schema browser's line diff", () => {
  it("keeps common lines and marks what was removed and added", () => {
    expect(lineDiff("a\nb\nc", "a\nc\nd")).toEqual([
      { op: " ", text: "a" },
      { op: "-", text: "b" },
      { op: " ", text: "c" },
      { op: "+", text: "d" },
    ]);
  });
});
