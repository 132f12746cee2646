/**
 * Routing is synchronous and creates nothing: it sizes events with each
 * target's encoding (from its descriptor and options) and hands the encoded
 * message to the adapter in the plan, encoded once.
 */
import { describe, expect, it } from "vitest";
import type {
  Adapter,
  AdapterFactory,
  EncodedMessage,
  OutboundMessage,
  TargetEncoding,
} from "../../src/adapter/adapter.js";
import { createGateway } from "../../src/http/create-gateway.js";
import { STRUCTURED, structuredEvent } from "../support/gateway.js";

interface Probe {
  readonly factory: AdapterFactory<never>;
  readonly encodeCalls: () => number;
  readonly published: OutboundMessage[];
  /** Lets the adapter's creation finish (it hangs until then). */
  readonly finishCreation: () => void;
}

/** A target type whose encoding counts its calls and whose adapter is created only when the test says. */
function probeType(maxEventBytes: number): Probe {
  let calls = 0;
  const published: OutboundMessage[] = [];
  const encoding: TargetEncoding = {
    encode(message): EncodedMessage {
      calls++;
      const wire = new TextEncoder().encode(`probe:${message.event.attributes.id}`);
      return { ok: true, wire, size: message.event.data?.bytes.length ?? 0 };
    },
    maxEventBytes,
  };
  let finish: () => void = () => {};
  const created = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const adapter: Adapter = {
    type: "probe",
    capabilities: {
      batching: true,
      orderingKeys: false,
      brokerDedup: false,
      modes: ["structured"],
      runsOnWorkers: true,
      maxEventBytes,
    },
    encoding,
    async publish(messages) {
      published.push(...messages);
      return messages.map(() => ({ status: "acked", receipt: {} }) as const);
    },
    ready: async () => true,
    close: async () => {},
  };
  const factory: AdapterFactory<never> = {
    type: "probe",
    optionsSchema: { type: "object" },
    addressing: {},
    defaultTimeoutMs: 300,
    encoding: () => encoding,
    create: async () => {
      await created;
      return adapter;
    },
  };
  return { factory, encodeCalls: () => calls, published, finishCreation: finish };
}

const post = (gateway: ReturnType<typeof createGateway>, data: string, id: string) =>
  gateway.request("/events", {
    method: "POST",
    headers: STRUCTURED,
    body: JSON.stringify(structuredEvent({ id, datacontenttype: "text/plain", data })),
  }) as Promise<Response>;

describe("the delivery plan", () => {
  it("refuses an event too large for a target with 413 while that target's adapter is still being created", async () => {
    const probe = probeType(10);
    const gateway = createGateway(
      { targets: { p: { type: "probe" } }, routes: [{ name: "all", to: ["p"] }] },
      { targetTypes: { probe: { descriptor: probe.factory, load: async () => probe.factory } } },
    );
    // The adapter's creation hangs: routing must not wait for it.
    const response = await post(gateway, "x".repeat(11), "big");
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({
      errors: [{ target: "p", code: "event-too-large" }],
    });
    probe.finishCreation();
    await gateway.close();
  });

  it("hands the adapter the message its encoding produced, encoded once", async () => {
    const probe = probeType(1_000);
    probe.finishCreation();
    const gateway = createGateway(
      { targets: { p: { type: "probe" } }, routes: [{ name: "all", to: ["p"] }] },
      { targetTypes: { probe: { descriptor: probe.factory, load: async () => probe.factory } } },
    );
    const response = await post(gateway, "small", "e-1");
    expect(response.status).toBe(202);
    expect(probe.encodeCalls()).toBe(1);
    const [message] = probe.published;
    expect(message?.encoded?.ok).toBe(true);
    const wire = message?.encoded?.ok ? (message.encoded.wire as Uint8Array) : undefined;
    expect(new TextDecoder().decode(wire)).toBe("probe:e-1");
    await gateway.close();
  });
});
