import { describe, expect, it } from "vitest";
import { acked, retriable, terminal } from "../../src/adapter/adapter.js";
import {
  BATCH,
  binaryHeaders,
  problemOf,
  STRUCTURED,
  structuredEvent,
  testGateway,
} from "../support/gateway.js";
import { scriptedAdapter } from "../support/scripted-adapter.js";

const batchOf = (...ids: string[]) => JSON.stringify(ids.map((id) => structuredEvent({ id })));

describe("delivery outcomes become responses", () => {
  it("answers 202 only after every target acked, and marks duplicates a target reports", async () => {
    const broker = scriptedAdapter((m) => acked({ duplicate: m.event.attributes.id === "2" }));
    const gw = testGateway({}, { broker });
    const response = await gw.post({ headers: BATCH, body: batchOf("1", "2") });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({
      accepted: 2,
      events: [
        { id: "1", source: "/test/source" },
        { id: "2", source: "/test/source", duplicate: true },
      ],
    });
    expect(broker.calls).toHaveLength(1);
    expect(broker.calls[0]?.messages).toHaveLength(2);
  });

  it("answers 503 with Retry-After from the target when every failure is retriable", async () => {
    const broker = scriptedAdapter(() => retriable("broker down", 7_500));
    const gw = testGateway({}, { broker });
    const response = await gw.post({ headers: binaryHeaders() });
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("8");
    const problem = await problemOf(response);
    expect(problem.code).toBe("target-unavailable");
    expect(problem.errors).toEqual([
      { index: 0, pointer: "", target: "broker", code: "delivery-retriable", detail: "broker down" },
    ]);
  });

  it("answers 503 with a default Retry-After when the target gave none", async () => {
    const gw = testGateway({}, { broker: scriptedAdapter(() => retriable("timeout")) });
    const response = await gw.post({ headers: binaryHeaders() });
    expect(response.status).toBe(503);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("answers 502 when any failure is terminal, listing each failed pair", async () => {
    const broker = scriptedAdapter((m) =>
      m.event.attributes.id === "2" ? terminal("rejected", 400) : retriable("busy"),
    );
    const gw = testGateway({}, { broker });
    const response = await gw.post({ headers: BATCH, body: batchOf("1", "2") });
    expect(response.status).toBe(502);
    const problem = await problemOf(response);
    expect(problem.code).toBe("target-refused");
    expect(problem.errors?.map((e) => [e.index, e.target, e.code])).toEqual([
      [0, "broker", "delivery-retriable"],
      [1, "broker", "delivery-terminal"],
    ]);
  });

  it("treats an adapter that throws as retriable, never a 500", async () => {
    const broker = scriptedAdapter(() => {
      throw new Error("bug");
    });
    const gw = testGateway({}, { broker });
    const response = await gw.post({ headers: binaryHeaders() });
    expect(response.status).toBe(503);
  });

  it("stops waiting for a target at the delivery deadline and answers 503", async () => {
    let aborted = false;
    const broker = scriptedAdapter(
      (_m, options) =>
        new Promise(() => {
          options.signal.addEventListener("abort", () => {
            aborted = true;
          });
        }),
    );
    const gw = testGateway({ delivery: { timeoutMs: 50 } }, { broker });
    const response = await gw.post({ headers: binaryHeaders() });
    expect(response.status).toBe(503);
    expect((await problemOf(response)).errors?.[0]?.detail).toMatch(/deadline/);
    expect(aborted).toBe(true);
    expect(broker.calls[0]?.options.deadline).toBeGreaterThan(Date.now() - 10_000);
  });

  it("refuses with 413, naming the target, an event larger than a matched target carries", async () => {
    const small = scriptedAdapter(() => acked(), 200);
    const gw = testGateway({}, { small });
    const big = JSON.stringify(structuredEvent({ data: "x".repeat(300) }));
    const response = await gw.post({ headers: STRUCTURED, body: big });
    expect(response.status).toBe(413);
    const problem = await problemOf(response);
    expect(problem.code).toBe("event-too-large");
    expect(problem.errors?.[0]).toMatchObject({ index: 0, target: "small", code: "event-too-large" });
    expect(small.calls).toHaveLength(0);
    expect(gw.received()).toHaveLength(0);
  });

  it("answers a batch with 400 before 413 before 422 before 502 before 503", async () => {
    const small = scriptedAdapter(() => acked(), 200);
    const gw = testGateway({}, { small });
    const invalid = structuredEvent({ id: "" });
    const large = structuredEvent({ id: "large", data: "x".repeat(300) });
    expect((await gw.post({ headers: BATCH, body: JSON.stringify([large, invalid]) })).status).toBe(400);

    const noRoutes = testGateway({ routes: [], targets: {} });
    expect((await noRoutes.post({ headers: BATCH, body: batchOf("1") })).status).toBe(422);

    const mixed = scriptedAdapter((m) =>
      m.event.attributes.id === "1" ? retriable("busy") : terminal("no"),
    );
    const gwMixed = testGateway({}, { mixed });
    expect((await gwMixed.post({ headers: BATCH, body: batchOf("1", "2") })).status).toBe(502);
  });

  it("answers 422 no-route when nothing matches and unmatched is reject (the default)", async () => {
    const gw = testGateway({ routes: [] });
    const response = await gw.post({ headers: binaryHeaders() });
    expect(response.status).toBe(422);
    expect((await problemOf(response)).code).toBe("no-route");
  });

  it("accepts an unmatched event with 202 when unmatched is accept", async () => {
    const gw = testGateway({ routes: [], unmatched: "accept" });
    expect((await gw.post({ headers: binaryHeaders() })).status).toBe(202);
    expect(gw.received()).toHaveLength(0);
  });

  it("sends an event once to each distinct target of all matching routes", async () => {
    const other = scriptedAdapter(() => acked());
    const gw = testGateway(
      {
        routes: [
          { name: "a", to: ["memory", "other"] },
          { name: "b", to: ["other", "memory"] },
        ],
      },
      { other },
    );
    expect((await gw.post({ headers: binaryHeaders() })).status).toBe(202);
    expect(gw.received()).toHaveLength(1);
    expect(other.calls.flatMap((c) => c.messages)).toHaveLength(1);
  });

  it("closes every target once, however often close is called", async () => {
    const broker = scriptedAdapter(() => acked());
    const gw = testGateway({}, { broker });
    await gw.gateway.close();
    await gw.gateway.close();
    expect(broker.closed).toBe(1);
  });
});
