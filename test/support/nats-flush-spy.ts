/**
 * A NATS transport for tests that counts the flushes (PING/PONG round trips)
 * the adapter asks of its real connection, and can hold each flush's answer
 * back after the server gave it, to see which publishes a PONG confirms.
 * It also notes, for every publish and flush, the synchronous run it was
 * made in: nats.js writes its buffer to the socket once per microtask
 * checkpoint, so calls made in one run leave in one socket write.
 */
import type { NatsTransport } from "../../adapters/nats/index.js";
import { connectNode } from "../../adapters/nats/node/connect.js";

export interface FlushSpy {
  readonly transport: NatsTransport;
  /** Every flush asked for, in order; `release` lets a held one through. */
  readonly flushes: readonly { readonly release: () => void }[];
  /** From now on, hold each flush's answer until it is released (or stop holding). */
  hold(on: boolean): void;
  /** Each publish and flush, in order, with the number of the synchronous run it was made in. */
  readonly calls: readonly { readonly kind: "publish" | "flush"; readonly run: number }[];
}

export function flushSpy(): FlushSpy {
  const flushes: { release: () => void }[] = [];
  const calls: { kind: "publish" | "flush"; run: number }[] = [];
  let holding = false;
  // A run ends at the next microtask checkpoint: the first call of a run schedules its end.
  let run = 0;
  let runOpen = false;
  const note = (kind: "publish" | "flush") => {
    if (!runOpen) {
      runOpen = true;
      queueMicrotask(() => {
        runOpen = false;
        run++;
      });
    }
    calls.push({ kind, run });
  };
  const transport: NatsTransport = async (options, name) => {
    const nc = await connectNode(options, name);
    const publish = nc.publish.bind(nc);
    nc.publish = (...args) => {
      note("publish");
      publish(...args);
    };
    const flush = nc.flush.bind(nc);
    nc.flush = () => {
      note("flush");
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
    calls,
    hold: (on) => {
      holding = on;
    },
  };
}
