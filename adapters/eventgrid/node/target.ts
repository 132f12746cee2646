/**
 * The `eventgrid` target on Node: the portable adapter with the Azure SDK
 * sender (`@azure/eventgrid`, `@azure/identity`) injected, loaded only when a
 * target uses it.
 */
import type { AdapterRuntime } from "../../../src/adapter/adapter.js";
import {
  createEventGridAdapter,
  type EventGridClients,
  type EventGridOptions,
  eventGridTargetWith,
} from "../index.js";

export const nodeEventGridClients: EventGridClients = {
  // Loaded on first use: the module pulls in both Azure SDKs.
  sdk: async (options, runtime) => (await import("./sdk-sender.js")).sdkSender(options, runtime),
};

export const eventGridTarget = eventGridTargetWith(nodeEventGridClients);

export const createNodeEventGridAdapter = (options: EventGridOptions, runtime: AdapterRuntime) =>
  createEventGridAdapter(options, runtime, nodeEventGridClients);
