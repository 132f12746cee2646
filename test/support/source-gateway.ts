/**
 * A gateway for source tests: every event lands in a memory target, the
 * clock stands still (signed timestamps are checked against it), and the
 * reasons the gateway logs for refused requests are kept, since a refused
 * signature answers nothing but 401.
 */
import { createMemoryAdapter } from "../../adapters/memory/index.js";
import type { GatewayConfig } from "../../src/config/gateway-config.js";
import { createGateway, type Gateway } from "../../src/entries/node/create-gateway.js";
import type { CloudEvent } from "../../src/event/cloud-event.js";
import type { GatewayReport } from "../../src/observe/observer.js";

export interface SourceGateway {
  readonly gateway: Gateway;
  /** Events the memory target received, oldest first. */
  received(): CloudEvent[];
  /** What the log says about each refused request, oldest first. */
  refusals(): string[];
  post(path: string, body: string, headers?: Record<string, string>): Promise<Response>;
}

export function sourceGateway(config: GatewayConfig, nowMs: number): SourceGateway {
  const memory = createMemoryAdapter();
  const reports: GatewayReport[] = [];
  const gateway = createGateway(
    { routes: [{ name: "all", to: ["memory"] }], ...config },
    {
      targets: { memory },
      clock: { now: () => nowMs },
      observer: { report: (report) => reports.push(report) },
    },
  );
  return {
    gateway,
    received: () => memory.events().map((stored) => stored.event),
    refusals: () => reports.flatMap((report) => (report.stage === "rejected" ? [report.detail] : [])),
    post: (path, body, headers = {}) =>
      gateway.request(path, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body,
      }) as Promise<Response>,
  };
}
