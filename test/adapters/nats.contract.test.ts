/**
 * The NATS target against a real nats-server: core NATS in binary and
 * structured mode, and JetStream.
 */
import { jetstreamManager } from "@nats-io/jetstream";
import { createNodeNatsAdapter } from "../../adapters/nats/node/target.js";
import { portableRuntime } from "../../src/adapter/default-runtime.js";
import { natsContractSubject } from "../support/nats-contract-harness.js";
import { describeAdapterContract } from "./contract.js";

const onNode = async () => ({
  make: async (options: Parameters<typeof createNodeNatsAdapter>[0]) =>
    createNodeNatsAdapter(options, portableRuntime()),
  dispose: async () => {},
});

describeAdapterContract(natsContractSubject("nats core, binary mode", { mode: "binary" }, onNode));
describeAdapterContract(natsContractSubject("nats core, structured mode", { mode: "structured" }, onNode));
describeAdapterContract(
  natsContractSubject("nats JetStream", { jetstream: { stream: "CONTRACT" } }, onNode, async (nc) => {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: "CONTRACT", subjects: ["contract.>"] });
  }),
);
// Raw values (for subscribers on sdk-go) round-trip too: the binding's decoder keeps a % that starts no escape.
describeAdapterContract(
  natsContractSubject(
    "nats core, binary mode, raw header values",
    { mode: "binary", headerEncoding: "raw" },
    onNode,
  ),
);
