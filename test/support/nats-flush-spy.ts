/**
 * A NATS transport for tests that counts the flushes (PING/PONG round trips)
 * the adapter asks of its real connection, and can hold each flush's answer
 * back after the server gave it, to see which publishes a PONG confirms.
 */
import type { NatsTransport } from "../../adapters/nats/index.js";
import { connectNode } from "../../adapters/nats/node/connect.js";

export interface FlushSpy {
  readonly transport: NatsTransport;
  /** Every flush asked for, in order; `release` lets a held one through. */
  readonly flushes: readonly { readonly release: () => void }[];
  /** From now on, hold each flush's answer until it is released (or stop holding). */
  hold(on: boolean): void;
}

export function flushSpy(): FlushSpy {
  const flushes: { release: () => void }[] = [];
  let holding = false;
  const transport: NatsTransport = async (options, name) => {
    const nc = await connectNode(options, name);
    const flush = nc.flush.bind(nc);
    nc.flush = () => {
      const pong = flush();
      if (!holding) {
        flushes.push({ release: () => {} });
        // The client's own promise: no extra steps between the PONG and whoever waits for it.
        return pong;
      }
      let release = () => {};
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      flushes.push({ release: () => release() });
      return pong.then(() => released);
    };
    return nc;
  };
  return {
    transport,
    flushes,
    hold: (on) => {
      holding = on;
    },
  };
}
