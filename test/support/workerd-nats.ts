/**
 * Runs the Workers NATS target in workerd (Miniflare) for tests: the test
 * Worker bundled with NatsConnectionObject bound as `NATS` (SQLite-backed, as
 * the free plan requires), and a Node-side Adapter whose every call is a
 * request into that Worker, so the contract suite can drive it.
 */
import { Miniflare } from "miniflare";
import { natsTargetEncoding } from "../../adapters/nats/encoding.js";
import type { NatsOptions } from "../../adapters/nats/options.js";
import type { Adapter, AdapterCapabilities, PublishOutcome } from "../../src/adapter/adapter.js";
import { msUntil } from "../../src/adapter/ms-until.js";
import { toJsonFormat } from "../../src/event/json-format.js";
import { projectRoot } from "./cli-process.js";
import { bundleForWorkerd } from "./workerd-bundle.js";

/** The test Worker; `trustedCertificates` (PEM) are CAs its sockets trust besides the public ones. */
export async function startNatsWorker(trustedCertificates: string[] = []): Promise<Miniflare> {
  const script = await bundleForWorkerd({ entry: `${projectRoot}/test/support/workerd-nats-worker.ts` });
  return new Miniflare({
    modules: true,
    script,
    compatibilityDate: "2025-09-01",
    durableObjects: { NATS: { className: "NatsConnectionObject", useSQLite: true } },
    ...(trustedCertificates.length > 0 && {
      outboundService: {
        network: {
          allow: ["public", "private"],
          tlsOptions: { trustBrowserCas: true, trustedCertificates },
        },
      },
    }),
  });
}

interface Described {
  readonly capabilities: AdapterCapabilities;
  readonly maxEventBytes: number | null;
}

/** Sends one request to the Worker; the answer's JSON. */
export async function callWorker<T>(worker: Miniflare, path: string, body: object): Promise<T> {
  const response = await worker.dispatchFetch(`http://worker${path}`, {
    method: "POST",
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** The Worker's NATS adapter for `options`, driven from Node (sizes computed with the same encoder). */
export async function natsInWorkerd(worker: Miniflare, options: NatsOptions): Promise<Adapter> {
  let described = await callWorker<Described>(worker, "/describe", { options });
  const learn = (answer: Described) => {
    described = answer;
  };
  return {
    type: "nats",
    capabilities: {
      get batching() {
        return described.capabilities.batching;
      },
      get orderingKeys() {
        return described.capabilities.orderingKeys;
      },
      get brokerDedup() {
        return described.capabilities.brokerDedup;
      },
      get modes() {
        return described.capabilities.modes;
      },
      get runsOnWorkers() {
        return described.capabilities.runsOnWorkers;
      },
      get maxEventBytes() {
        return described.maxEventBytes ?? Number.POSITIVE_INFINITY;
      },
    },
    encoding: natsTargetEncoding(options),
    async publish(messages, { deadline }) {
      const answer = await callWorker<Described & { outcomes: PublishOutcome[] }>(worker, "/publish", {
        options,
        budgetMs: msUntil(deadline),
        messages: messages.map((m) => ({
          event: new TextDecoder().decode(toJsonFormat(m.event)),
          address: m.address,
        })),
      });
      learn(answer);
      return answer.outcomes;
    },
    async ready() {
      const answer = await callWorker<Described & { ready: boolean }>(worker, "/ready", { options });
      learn(answer);
      return answer.ready;
    },
    async close() {
      await callWorker(worker, "/close", { options });
    },
  };
}
