/**
 * A gateway for source tests that official client libraries can reach: the
 * app behind the Node entry's own listener (the fast path for sources'
 * paths) on a loopback port, over plain HTTP or over TLS with a certificate
 * made for the test. Every event lands in a memory target.
 */
import { createServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { createMemoryAdapter } from "../../adapters/memory/index.js";
import type { GatewayConfig } from "../../src/config/gateway-config.js";
import { createGateway, type Gateway } from "../../src/entries/node/create-gateway.js";
import { gatewayListener } from "../../src/entries/node/events-listener.js";
import type { CloudEvent } from "../../src/event/cloud-event.js";
import type { GatewayReport } from "../../src/observe/observer.js";

export interface ListeningGateway {
  readonly gateway: Gateway;
  /** http://127.0.0.1:PORT or https://127.0.0.1:PORT */
  readonly url: string;
  /** Events the memory target received, oldest first. */
  received(): CloudEvent[];
  /** What the log says about each refused request, oldest first. */
  refusals(): string[];
  close(): Promise<void>;
}

export async function listeningGateway(
  config: GatewayConfig,
  tls?: { readonly key: string; readonly cert: string },
): Promise<ListeningGateway> {
  const memory = createMemoryAdapter();
  const reports: GatewayReport[] = [];
  const gateway = createGateway(
    { routes: [{ name: "all", to: ["memory"] }], ...config },
    { targets: { memory }, observer: { report: (report) => reports.push(report) } },
  );
  const listener = gatewayListener(gateway);
  const server: Server = tls === undefined ? createServer(listener) : createHttpsServer(tls, listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    gateway,
    url: `${tls === undefined ? "http" : "https"}://127.0.0.1:${port}`,
    received: () => memory.events().map((stored) => stored.event),
    refusals: () => reports.flatMap((report) => (report.stage === "rejected" ? [report.detail] : [])),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gateway.close();
    },
  };
}
