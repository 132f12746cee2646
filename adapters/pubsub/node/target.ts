/**
 * The `pubsub` target on Node: the portable adapter with the official gRPC
 * client (`@google-cloud/pubsub`) injected, loaded only when a target uses it.
 */
import type { AdapterRuntime } from "../../../src/adapter/adapter.js";
import { createPubsubAdapter, type PubsubClients, type PubsubOptions, pubsubTargetWith } from "../index.js";

export const nodePubsubClients: PubsubClients = {
  grpc: async (options) => (await import("./grpc-publisher.js")).grpcPublisher(options),
};

export const pubsubTarget = pubsubTargetWith(nodePubsubClients);

export const createNodePubsubAdapter = (options: PubsubOptions, runtime: AdapterRuntime) =>
  createPubsubAdapter(options, runtime, nodePubsubClients);
