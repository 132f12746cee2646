/**
 * The delivery layer owns each attempt: its deadline is the request's
 * deadline or the target's timeout, whichever comes first, read from the
 * injected clock, and its one signal aborts at that deadline or when the
 * client goes away. Adapters only receive them.
 */
import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type Adapter, acked, type PublishOptions } from "../../src/adapter/adapter.js";
import type { TargetCatalog } from "../../src/adapter/catalog.js";
import type { Clock } from "../../src/context/request-context.js";
import {
  CLIENT_GONE,
  openAttempt,
  REQUEST_DEADLINE_PASSED,
  targetTimedOut,
} from "../../src/deliver/attempt.js";
import { createGateway as createNodeGateway } from "../../src/entries/node/create-gateway.js";
import { createGateway } from "../../src/http/create-gateway.js";
import { binaryHeaders, problemOf } from "../support/gateway.js";
import { scriptedAdapter } from "../support/scripted-adapter.js";

/** A clock that stands still at an instant far from the real one: only the delivery layer may read it. */
const T = Date.parse("2030-01-01T00:00:00Z");
const frozen: Clock = { now: () => T };

const aborted = (signal: AbortSignal) =>
  new Promise<unknown>((resolve) => {
    if (signal.aborted) resolve(signal.reason);
    else signal.addEventListener("abort", () => resolve(signal.reason), { once: true });
  });

describe("openAttempt", () => {
  const client = () => new AbortController();

  it("ends at now + the target's timeout when that comes before the request's deadline", async () => {
    const attempt = openAttempt({ clock: frozen, deadline: T + 5_000, signal: client().signal }, 100);
    try {
      expect(attempt.deadline).toBe(T + 100);
      expect(attempt.signal.aborted).toBe(false);
      const reason = (await aborted(attempt.signal)) as DOMException;
      expect(reason.name).toBe("TimeoutError");
      expect(reason.message).toBe(targetTimedOut(100));
      expect(await attempt.ended).toBe(targetTimedOut(100));
    } finally {
      attempt.dispose();
    }
  });

  it("ends at the request's deadline when that comes before the target's timeout", async () => {
    const attempt = openAttempt({ clock: frozen, deadline: T + 80, signal: client().signal }, 10_000);
    try {
      expect(attempt.deadline).toBe(T + 80);
      expect(((await aborted(attempt.signal)) as DOMException).message).toBe(REQUEST_DEADLINE_PASSED);
      expect(await attempt.ended).toBe(REQUEST_DEADLINE_PASSED);
    } finally {
      attempt.dispose();
    }
  });

  it("ends at once when the client goes away, saying so", async () => {
    const gone = client();
    const attempt = openAttempt({ clock: frozen, deadline: T + 5_000, signal: gone.signal }, 5_000);
    try {
      gone.abort();
      expect(attempt.signal.aborted).toBe(true);
      expect((attempt.signal.reason as DOMException).name).toBe("AbortError");
      expect(await attempt.ended).toBe(CLIENT_GONE);
    } finally {
      attempt.dispose();
    }
  });

  it("starts ended when the deadline has already passed", async () => {
    const attempt = openAttempt({ clock: frozen, deadline: T - 1, signal: client().signal }, 1_000);
    expect(attempt.signal.aborted).toBe(true);
    expect(await attempt.ended).toBe(REQUEST_DEADLINE_PASSED);
    attempt.dispose();
  });
});

describe("the delivery layer's attempts through the gateway", () => {
  const gateways: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(gateways.splice(0).map((g) => g.close()));
  });

  it("gives each target the deadline min(request deadline, now + its timeout or its type's default) by the injected clock, and the signal that aborts there", async () => {
    const seen = new Map<string, PublishOptions>();
    const recording = (label: string, hang: boolean): Adapter =>
      scriptedAdapter(async (_m, options) => {
        seen.set(label, options);
        if (!hang) return acked();
        await aborted(options.signal);
        // Nothing an adapter says after the attempt ended can change the outcome.
        return acked();
      });
    const catalog: TargetCatalog = {
      fake: {
        descriptor: { type: "fake", optionsSchema: {}, addressing: {}, defaultTimeoutMs: 4_000 },
        load: async () => ({
          type: "fake",
          optionsSchema: {},
          addressing: {},
          defaultTimeoutMs: 4_000,
          create: (options: Record<string, unknown>) =>
            recording(String(options.label), options.label === "quick"),
        }),
      },
    };
    const gateway = createGateway(
      {
        targets: {
          quick: { type: "fake", label: "quick", timeoutMs: 300 },
          patient: { type: "fake", label: "patient" },
        },
        routes: [{ name: "all", to: ["quick", "patient"] }],
        delivery: { timeoutMs: 5_000 },
      },
      { clock: frozen, targetTypes: catalog },
    );
    gateways.push(gateway);
    const started = Date.now();
    const response = await gateway.request("/events", { method: "POST", headers: binaryHeaders() });
    const elapsed = Date.now() - started;

    expect(seen.get("quick")?.deadline).toBe(T + 300);
    // No timeoutMs: the type's default (4 s) comes before the request's deadline (5 s).
    expect(seen.get("patient")?.deadline).toBe(T + 4_000);
    expect(seen.get("quick")?.signal.aborted).toBe(true);
    expect(seen.get("patient")?.signal.aborted).toBe(false);
    expect(response.status).toBe(503);
    const errors = (await problemOf(response)).errors ?? [];
    expect(errors).toEqual([
      expect.objectContaining({ target: "quick", code: "delivery-retriable", detail: targetTimedOut(300) }),
    ]);
    // Generous bounds: the quick target's 300 ms ended it, not the request's 5 s.
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(3_000);
  });

  it("honours an HTTP target's timeoutMs from config: a silent receiver gets 503 after about 200 ms, not the request's 5 s", async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const gateway = createNodeGateway({
        targets: { hook: { type: "http", url: `http://127.0.0.1:${port}/`, timeoutMs: 200 } },
        routes: [{ name: "all", to: ["hook"] }],
        delivery: { timeoutMs: 5_000 },
      });
      gateways.push(gateway);
      const started = Date.now();
      const response = await gateway.request("/events", { method: "POST", headers: binaryHeaders() });
      const elapsed = Date.now() - started;
      expect(response.status).toBe(503);
      expect((await problemOf(response)).errors?.[0]).toMatchObject({
        target: "hook",
        code: "delivery-retriable",
        detail: targetTimedOut(200),
      });
      expect(elapsed).toBeGreaterThanOrEqual(150);
      expect(elapsed).toBeLessThan(3_000);
    } finally {
      silent.close();
    }
  });
});
