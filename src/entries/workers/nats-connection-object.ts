/**
 * The Durable Object that owns a Worker's NATS connections. workerd binds a
 * socket to the request that opened it, so a connection kept for later
 * requests must live in a Durable Object: this one holds the NATS adapter of
 * each target it is asked about (targets with the same servers and
 * credentials share one connection), connects on first use, keeps the
 * connection across requests and reconnects after outages, and publishes
 * whatever any request of the Worker hands it through RPC. Publishing is the
 * portable NATS adapter itself, so JetStream acknowledgements, `Nats-Msg-Id`
 * deduplication and the classification of failures are those of Node.
 */
import { DurableObject } from "cloudflare:workers";
import { createNatsAdapter } from "../../../adapters/nats/index.js";
import type { NatsOptions } from "../../../adapters/nats/options.js";
import { connectWorkers } from "../../../adapters/nats/workers/connect.js";
import type { Adapter } from "../../adapter/adapter.js";
import { portableRuntime } from "../../adapter/default-runtime.js";
import { msUntil } from "../../adapter/ms-until.js";
import { fromWire, type NatsAnswer, type NatsReadiness, type WireMessage } from "./nats-wire.js";

/** A target's adapter unused this long is closed (its connection too, when no other target shares it). */
const IDLE_CLOSE_MS = 10 * 60_000;

interface HeldAdapter {
  readonly adapter: Adapter;
  idleTimer: ReturnType<typeof setTimeout> | undefined;
}

export class NatsConnectionObject extends DurableObject {
  /** Connections shared by the targets held here, one per server set and credentials. */
  readonly #runtime = portableRuntime();
  readonly #held = new Map<string, HeldAdapter>();

  #adapterFor(options: NatsOptions): Adapter {
    const key = JSON.stringify(options);
    let held = this.#held.get(key);
    if (held === undefined) {
      held = { adapter: createNatsAdapter(options, this.#runtime, connectWorkers), idleTimer: undefined };
      this.#held.set(key, held);
    }
    const current = held;
    clearTimeout(current.idleTimer);
    current.idleTimer = setTimeout(() => {
      if (this.#held.get(key) === current) this.#held.delete(key);
      void current.adapter.close();
    }, IDLE_CLOSE_MS);
    return current.adapter;
  }

  /**
   * Publishes the messages of one attempt, which has `budgetMs` left; one
   * outcome per message. The attempt crosses the hop as a duration (the two
   * sides' clocks need not agree) and is made again here, as the delivery
   * layer makes it: one deadline and the one signal that aborts at it.
   */
  async publish(
    options: NatsOptions,
    messages: readonly WireMessage[],
    budgetMs: number,
  ): Promise<NatsAnswer> {
    const adapter = this.#adapterFor(options);
    const deadline = Date.now() + Math.max(1, budgetMs);
    const outcomes = await adapter.publish(messages.map(fromWire), {
      signal: AbortSignal.timeout(msUntil(deadline)),
      deadline,
    });
    return { outcomes, maxEventBytes: adapter.capabilities.maxEventBytes };
  }

  /** Whether the target's connection is up (the first call starts connecting). */
  async ready(options: NatsOptions): Promise<NatsReadiness> {
    const adapter = this.#adapterFor(options);
    return { ready: await adapter.ready(), maxEventBytes: adapter.capabilities.maxEventBytes };
  }
}
