/**
 * The parts of a Pub/Sub contract harness that do not depend on the server
 * behind it (the local fake or Google's emulator): the failure injections and
 * what the configured mode declares.
 */
import type { PubsubOptions } from "../../adapters/pubsub/index.js";
import { createNodePubsubAdapter } from "../../adapters/pubsub/node/target.js";
import { portableRuntime } from "../../src/adapter/default-runtime.js";
import type { ContractHarness } from "../adapters/contract.js";
import { ignoringAddress } from "../adapters/contract.js";
import { freePort } from "./cli-process.js";

export function pubsubHarnessParts(
  base: PubsubOptions,
): Pick<ContractHarness, "unreachable" | "refusing" | "keepsAttributeTypes" | "writesBinaryMode"> {
  return {
    unreachable: async () =>
      ignoringAddress(
        createNodePubsubAdapter(
          { ...base, apiEndpoint: `127.0.0.1:${await freePort()}`, timeoutMs: 1_000 },
          portableRuntime(),
        ),
      ),
    // A topic the server does not have: NOT_FOUND, which no retry will fix.
    refusing: async () =>
      ignoringAddress(createNodePubsubAdapter({ ...base, topic: "no-such-topic" }, portableRuntime())),
    keepsAttributeTypes: base.mode === "structured",
    writesBinaryMode: base.mode !== "structured",
  };
}
