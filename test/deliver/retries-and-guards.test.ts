/**
 * Retries, budgets and target guards through the whole gateway: real HTTP
 * requests into the app, targets whose answers the test scripts.
 */
import { describe, expect, it } from "vitest";
import { acked, type PublishOutcome, retriable, terminal } from "../../src/adapter/adapter.js";
import type { GatewayConfig } from "../../src/config/gateway-config.js";
import { binaryHeaders, problemOf, testGateway } from "../support/gateway.js";
import { scriptedAdapter } from "../support/scripted-adapter.js";

const FAST_RETRY = { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 5 };

/** Answers from a list, in order; the last repeats. */
function answering(...outcomes: PublishOutcome[]) {
  let call = 0;
  return scriptedAdapter(() => outcomes[Math.min(call++, outcomes.length - 1)] as PublishOutcome);
}

function gatewayWith(flaky: ReturnType<typeof scriptedAdapter>, config: GatewayConfig = {}) {
  return testGateway(
    {
      routes: [{ name: "all", to: ["memory", "flaky"] }],
      ...config,
      targets: { flaky: { type: "scripted", ...config.targets?.flaky } },
    },
    { flaky },
  );
}

const send = (gw: ReturnType<typeof testGateway>, id = "e1", type = "com.example.test") =>
  gw.post({ headers: binaryHeaders({ "ce-id": id, "ce-type": type }), body: null });

describe("retries", () => {
  it("retries a retriable failure and answers 202 once the target acks", async () => {
    const flaky = answering(retriable("down"), retriable("down"), acked());
    const gw = gatewayWith(flaky, { targets: { flaky: { type: "scripted", retry: FAST_RETRY } } });
    expect((await send(gw)).status).toBe(202);
    expect(flaky.calls).toHaveLength(3);
  });

  it("makes one attempt without a retry policy, and answers 503", async () => {
    const flaky = answering(retriable("down"), acked());
    const gw = gatewayWith(flaky);
    const response = await send(gw);
    expect(response.status).toBe(503);
    expect(flaky.calls).toHaveLength(1);
  });

  it("never retries a terminal refusal", async () => {
    const flaky = answering(terminal("bad", 400), acked());
    const gw = gatewayWith(flaky, { targets: { flaky: { type: "scripted", retry: FAST_RETRY } } });
    expect((await send(gw)).status).toBe(502);
    expect(flaky.calls).toHaveLength(1);
  });

  it("stops at maxAttempts", async () => {
    const flaky = answering(retriable("down"));
    const retry = { ...FAST_RETRY, maxAttempts: 4 };
    const gw = gatewayWith(flaky, { targets: { flaky: { type: "scripted", retry } } });
    expect((await send(gw)).status).toBe(503);
    expect(flaky.calls).toHaveLength(4);
  });

  it("gives up when the target's Retry-After would outlast the budget: 503 with that Retry-After, at once", async () => {
    const flaky = answering(retriable("slow down", 5_000), acked());
    const gw = gatewayWith(flaky, {
      targets: { flaky: { type: "scripted", retry: FAST_RETRY } },
      delivery: { timeoutMs: 1_000 },
    });
    const started = Date.now();
    const response = await send(gw);
    expect(Date.now() - started).toBeLessThan(900);
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect((await problemOf(response)).errors?.[0]?.detail).toMatch(/budget would run out/);
    expect(flaky.calls).toHaveLength(1);
    expect(gw.received()).toHaveLength(1);
  });

  it("applies the strictest of two matched routes' policies: the fewest attempts", async () => {
    const flaky = answering(retriable("down"));
    const gw = gatewayWith(flaky, {
      routes: [
        { name: "lenient", to: ["flaky"], retry: { ...FAST_RETRY, maxAttempts: 6 } },
        { name: "strict", to: ["flaky", "memory"], retry: { ...FAST_RETRY, maxAttempts: 2 } },
      ],
    });
    expect((await send(gw)).status).toBe(503);
    expect(flaky.calls).toHaveLength(2);
  });

  it("bounds every attempt by a matched route's shorter budget (timeoutMs)", async () => {
    const never = scriptedAdapter(
      (_, options) =>
        new Promise((resolve) => options.signal.addEventListener("abort", () => resolve(retriable("gone")))),
    );
    const gw = gatewayWith(never, { routes: [{ name: "quick", to: ["flaky"], timeoutMs: 150 }] });
    const started = Date.now();
    const response = await send(gw);
    const took = Date.now() - started;
    expect(response.status).toBe(503);
    expect(took).toBeGreaterThanOrEqual(140);
    expect(took).toBeLessThan(2_000);
    const { options } = never.calls[0] as (typeof never.calls)[number];
    expect(options.deadline - started).toBeLessThanOrEqual(160);
  });
});

describe("isolation: the circuit breaker and maxInFlight", () => {
  it("opens after consecutive failures: requests then fail fast with Retry-After, and /status says so", async () => {
    const flaky = answering(retriable("down"));
    const gw = testGateway(
      {
        routes: [
          { name: "to-flaky", filters: [{ exact: { type: "to.flaky" } }], to: ["flaky"] },
          { name: "to-memory", filters: [{ exact: { type: "to.memory" } }], to: ["memory"] },
        ],
        targets: { flaky: { type: "scripted", circuitBreaker: { failureThreshold: 2, coolDownMs: 60_000 } } },
      },
      { flaky },
    );
    expect((await send(gw, "a", "to.flaky")).status).toBe(503);
    expect((await send(gw, "b", "to.flaky")).status).toBe(503);
    const fast = await send(gw, "c", "to.flaky");
    expect(fast.status).toBe(503);
    expect(Number(fast.headers.get("retry-after"))).toBeGreaterThan(50);
    expect((await problemOf(fast)).errors?.[0]?.detail).toMatch(/circuit is open/);
    expect(flaky.calls).toHaveLength(2);
    expect((await send(gw, "d", "to.memory")).status).toBe(202);
    const status = (await (await gw.gateway.request("/status")).json()) as {
      targets: Record<string, { delivery: Record<string, unknown> }>;
    };
    expect(status.targets.flaky?.delivery).toMatchObject({
      circuit: "open",
      circuitOpened: 1,
      shed: 1,
      failures: 2,
    });
    expect(status.targets.memory?.delivery).toMatchObject({ circuit: "none", failures: 0 });
  });

  it("refuses at once beyond maxInFlight, and lets the held ones finish", async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = scriptedAdapter(async () => {
      await held;
      return acked();
    });
    const gw = gatewayWith(slow, { targets: { flaky: { type: "scripted", maxInFlight: 1 } } });
    const first = send(gw, "first");
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await send(gw, "second");
    expect(second.status).toBe(503);
    expect(second.headers.get("retry-after")).toBe("1");
    release();
    expect((await first).status).toBe(202);
    expect((await send(gw, "third")).status).toBe(202);
  });
});
