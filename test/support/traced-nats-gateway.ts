/**
 * What the trace tests run against: `serveGateway` (the Node entry's own
 * server) in this process, so a tracing SDK a test registers sees its spans,
 * with a real nats-server whose `events.>` messages are recorded (headers by
 * lowercase name, and the event), and an HTTP receiver.
 */
import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { decodeNatsMessage } from "../../src/bindings/nats/decode.js";
import type { GatewayConfig } from "../../src/config/gateway-config.js";
import { type NodeLogger, type RunningGateway, serveGateway } from "../../src/entries/node/serve.js";
import type { CloudEvent } from "../../src/event/cloud-event.js";
import { STRUCTURED } from "./gateway.js";
import { type HttpReceiver, startHttpReceiver } from "./http-receiver.js";
import { type NatsServer, startNatsServer } from "./nats-server.js";

export interface NatsDelivery {
  /** By lowercase name: the first value. */
  readonly headers: ReadonlyMap<string, string>;
  readonly event: CloudEvent;
}

export interface TracedNatsGateway {
  readonly nats: NatsServer;
  readonly receiver: HttpReceiver;
  readonly running: RunningGateway;
  /** What arrived on `events.>`, in order. */
  readonly received: NatsDelivery[];
  /** POSTs one structured event to /events with these headers. */
  post(event: Record<string, unknown>, headers: Record<string, string>): Promise<Response>;
  /** Forgets what the subscriber and the receiver got. */
  reset(): void;
  close(): Promise<void>;
}

const silent: NodeLogger = { debug() {}, info() {}, warn() {}, error() {} };

export async function startTracedNatsGateway(setup: {
  readonly config: (where: { nats: string; receiver: string }) => GatewayConfig;
  readonly maxPayload?: number;
  readonly logger?: NodeLogger;
}): Promise<TracedNatsGateway> {
  const nats = await startNatsServer(setup.maxPayload === undefined ? {} : { maxPayload: setup.maxPayload });
  const receiver = await startHttpReceiver();
  const nc: NatsConnection = await connect({ servers: nats.url });
  const received: NatsDelivery[] = [];
  nc.subscribe("events.>", {
    callback: (_error, message) => {
      const headers = new Map<string, string>();
      for (const [name, values] of message.headers ?? []) headers.set(name.toLowerCase(), values[0] ?? "");
      received.push({
        headers,
        event: decodeNatsMessage(message.headers ? [...message.headers] : [], message.data),
      });
    },
  });
  await nc.flush();
  const running = await serveGateway({
    config: setup.config({ nats: nats.url, receiver: receiver.url }),
    port: 0,
    host: "127.0.0.1",
    logger: setup.logger ?? silent,
  });
  return {
    nats,
    receiver,
    running,
    received,
    post: (event, headers) =>
      fetch(`${running.url}/events`, {
        method: "POST",
        headers: { ...STRUCTURED, ...headers },
        body: JSON.stringify(event),
      }),
    reset() {
      received.length = 0;
      receiver.requests.length = 0;
    },
    async close() {
      await running.stop();
      await nc.close();
      await receiver.close();
      await nats.dispose();
    },
  };
}

/** Polls `probe` until it gives a value, for at most 5 s. */
export async function until<T>(what: string, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
