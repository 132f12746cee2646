/**
 * Test helpers: a gateway whose every event lands in a memory target, and
 * requests in each content mode.
 */
import { createMemoryAdapter, type MemoryAdapter } from "../../adapters/memory/index.js";
import type { Adapter } from "../../src/adapter/adapter.js";
import type { GatewayConfig } from "../../src/config/gateway-config.js";
import { createGateway, type Gateway, type GatewayOptions } from "../../src/entries/node/create-gateway.js";
import type { CloudEvent } from "../../src/event/cloud-event.js";

export interface TestGateway {
  readonly gateway: Gateway;
  readonly memory: MemoryAdapter;
  /** Events the memory target received, oldest first. */
  received(): CloudEvent[];
  post(init: { headers?: Record<string, string>; body?: BodyInit | null }): Promise<Response>;
}

export function testGateway(
  config: GatewayConfig = {},
  extraTargets: Record<string, Adapter> = {},
  options: Omit<GatewayOptions, "targets"> = {},
): TestGateway {
  const memory = createMemoryAdapter();
  const gateway = createGateway(
    { routes: [{ name: "all", to: ["memory", ...Object.keys(extraTargets)] }], ...config },
    { ...options, targets: { memory, ...extraTargets } },
  );
  return {
    gateway,
    memory,
    received: () => memory.events().map((stored) => stored.event),
    post: ({ headers = {}, body = null }) =>
      gateway.request("/events", { method: "POST", headers, body }) as Promise<Response>,
  };
}

export const binaryHeaders = (overrides: Record<string, string> = {}): Record<string, string> => ({
  "ce-specversion": "1.0",
  "ce-id": "evt-1",
  "ce-source": "/test/source",
  "ce-type": "com.example.test",
  ...overrides,
});

export const structuredEvent = (overrides: Record<string, unknown> = {}) => ({
  specversion: "1.0",
  id: "evt-1",
  source: "/test/source",
  type: "com.example.test",
  ...overrides,
});

export const STRUCTURED = { "content-type": "application/cloudevents+json" };
export const BATCH = { "content-type": "application/cloudevents-batch+json" };

export interface ProblemJson {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: {
    index?: number;
    pointer?: string;
    header?: string;
    target?: string;
    route?: string;
    code: string;
    detail: string;
  }[];
}

export async function problemOf(response: Response): Promise<ProblemJson> {
  if (response.headers.get("content-type") !== "application/problem+json") {
    throw new Error(
      `expected problem+json, got ${response.headers.get("content-type")}: ${await response.text()}`,
    );
  }
  return (await response.json()) as ProblemJson;
}

export const text = (bytes: Uint8Array | undefined) =>
  bytes === undefined ? undefined : new TextDecoder().decode(bytes);
