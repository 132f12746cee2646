/**
 * The NATS target on Workers: publishes from workerd requests go through the
 * NatsConnectionObject Durable Object, which holds the connection (TCP over
 * `cloudflare:sockets`) to a real nats-server across requests.
 */
import { jetstreamManager } from "@nats-io/jetstream";
import type { Miniflare } from "miniflare";
import { describeAdapterContract } from "../adapters/contract.js";
import { natsContractSubject } from "../support/nats-contract-harness.js";
import { natsInWorkerd, startNatsWorker } from "../support/workerd-nats.js";

const inWorkerd = async () => {
  const worker: Miniflare = await startNatsWorker();
  return {
    make: (options: Parameters<typeof natsInWorkerd>[1]) => natsInWorkerd(worker, options),
    dispose: () => worker.dispose(),
  };
};

describeAdapterContract(
  natsContractSubject("nats core through the Durable Object, binary mode", { mode: "binary" }, inWorkerd),
);
describeAdapterContract(
  natsContractSubject(
    "nats JetStream through the Durable Object",
    { jetstream: { stream: "CONTRACT" } },
    inWorkerd,
    async (nc) => {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({ name: "CONTRACT", subjects: ["contract.>"] });
    },
  ),
);
