/**
 * The `pubsub` target on Node: the portable adapter with the official gRPC
 * client (`@google-cloud/pubsub`) injected, loaded only when a target uses it.
 */
import type { AdapterRuntime } from "../../../src/adapter/adapter.js";
import { loadOptionalSdk } from "../../../src/adapter/optional-sdk.js";
import { createPubsubAdapter, type PubsubClients, type PubsubOptions, pubsubTargetWith } from "../index.js";

export const nodePubsubClients: PubsubClients = {
  // The client library is imported when the first publisher opens, inside the guard.
  grpc: (options) =>
    loadOptionalSdk(
      async () => (await import("./grpc-publisher.js")).grpcPublisher(options),
      ["@google-cloud/pubsub"],
      "Pub/Sub with api: grpc",
    ),
};

export const pubsubTarget = pubsubTargetWith(nodePubsubClients);

export const createNodePubsubAdapter = (options: PubsubOptions, runtime: AdapterRuntime) =>
  createPubsubAdapter(options, runtime, nodePubsubClients);
