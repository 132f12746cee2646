/**
 * The `nats` target as a Worker runs it: an adapter that owns no connection
 * and hands each publish to the NATS Durable Object (NatsConnectionObject)
 * through RPC. Targets with the same servers and credentials go to the same
 * object, which keeps their one connection. The attempt's deadline and
 * signal hold for the hop: the object is given what is left of the attempt
 * (less a margin for the way back), and an object that has not answered
 * when the attempt's signal aborts is retriable (JetStream drops the repeat
 * by `Nats-Msg-Id` if the first publish did land).
 */
import type { DurableObjectNamespace } from "cloudflare:workers";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { natsDescriptor } from "../../../adapters/nats/descriptor.js";
import { natsTargetEncoding } from "../../../adapters/nats/encoding.js";
import { type NatsOptions, serversOf } from "../../../adapters/nats/options.js";
import { workersRefusal } from "../../../adapters/nats/workers/refusal.js";
import { type Adapter, type AdapterFactory, type PublishOutcome, retriable } from "../../adapter/adapter.js";
import { msUntil } from "../../adapter/ms-until.js";
import { untilAborted } from "../../adapter/until-aborted.js";
import { encodeUtf8 } from "../../codec/utf8.js";
import { describeError } from "../../errors/errors.js";
import type { NatsConnectionObject } from "./nats-connection-object.js";
import { toWire } from "./nats-wire.js";

/** The binding of NatsConnectionObject in the Worker's environment. */
export type NatsConnectionNamespace = DurableObjectNamespace<NatsConnectionObject>;

/** Time kept back from the attempt's budget for the hop, so the object's own answer arrives before the deadline. */
const HOP_MARGIN_MS = 100;
/** How long ready() waits for the object. */
const READY_WAIT_MS = 2_000;

/** One object per server set and credentials, named by a digest (the name holds no secret). */
export function connectionObjectName(options: NatsOptions): string {
  const key = JSON.stringify([
    serversOf(options),
    options.token,
    options.user,
    options.pass,
    options.nkey,
    options.reconnectWaitMs,
  ]);
  return `nats:${bytesToHex(sha256(encodeUtf8(key)))}`;
}

/** What is left of the attempt for the object: its answer must travel back before the attempt ends. */
function objectBudgetMs(deadline: number): number {
  const left = msUntil(deadline);
  return Math.max(1, left - Math.min(HOP_MARGIN_MS, left / 10));
}

export function createNatsViaDurableObject(
  options: NatsOptions,
  namespace: NatsConnectionNamespace,
): Adapter {
  const refusal = workersRefusal(options);
  if (refusal !== undefined) throw new Error(refusal);
  const name = connectionObjectName(options);
  // A stub per call: workerd does not let one request use I/O objects another request made.
  const connectionObject = () => namespace.get(namespace.idFromName(name));
  // Unknown until the object has connected once: nothing is refused at ingress before (the object checks).
  let maxEventBytes = Number.POSITIVE_INFINITY;
  let closed = false;

  return {
    type: "nats",
    capabilities: {
      batching: true,
      orderingKeys: false,
      brokerDedup: options.jetstream !== undefined,
      modes: ["binary", "structured"],
      runsOnWorkers: true,
      get maxEventBytes() {
        return maxEventBytes;
      },
    },
    encoding: natsTargetEncoding(options),
    async publish(messages, { signal, deadline }): Promise<readonly PublishOutcome[]> {
      if (signal.aborted) return messages.map(() => retriable("The attempt ended before NATS was asked"));
      try {
        const answer = await untilAborted(
          connectionObject().publish(options, messages.map(toWire), objectBudgetMs(deadline)),
          signal,
        );
        maxEventBytes = answer.maxEventBytes;
        return answer.outcomes;
      } catch (error) {
        const why = signal.aborted
          ? `no answer before the attempt ended (${describeError(signal.reason)})`
          : `the NATS connection object failed: ${describeError(error)}`;
        return messages.map(() => retriable(`NATS publish not confirmed: ${why}`, 1_000));
      }
    },
    async ready() {
      if (closed) return false;
      try {
        const readiness = await untilAborted(
          connectionObject().ready(options),
          AbortSignal.timeout(READY_WAIT_MS),
        );
        maxEventBytes = readiness.maxEventBytes;
        return readiness.ready;
      } catch {
        return false;
      }
    },
    // The connection belongs to the object and serves other requests and isolates: it stays.
    async close() {
      closed = true;
    },
  };
}

/** The `nats` target type for the Workers entry's catalog. */
/** The target type; without a namespace (a Worker that binds no NATS object) creating a target fails, saying why. */
export const natsTargetViaDurableObject = (
  namespace: NatsConnectionNamespace | undefined,
): AdapterFactory<NatsOptions> => ({
  ...natsDescriptor,
  create: (options) => {
    if (namespace === undefined)
      throw new Error(
        "a NATS target on Workers needs the NatsConnectionObject Durable Object bound as NATS (see wrangler.toml)",
      );
    return createNatsViaDurableObject(options, namespace);
  },
});
