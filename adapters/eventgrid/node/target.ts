/**
 * The `eventgrid` target on Node: the portable adapter with the Azure SDK
 * sender (`@azure/eventgrid`, `@azure/identity`) injected, loaded only when a
 * target uses it.
 */
import type { AdapterRuntime } from "../../../src/adapter/adapter.js";
import { loadOptionalSdk } from "../../../src/adapter/optional-sdk.js";
import {
  createEventGridAdapter,
  type EventGridClients,
  type EventGridOptions,
  eventGridTargetWith,
} from "../index.js";

export const nodeEventGridClients: EventGridClients = {
  // Loaded on first use: the module pulls in both Azure SDKs.
  sdk: (options, runtime) =>
    loadOptionalSdk(
      async () => (await import("./sdk-sender.js")).sdkSender(options, runtime),
      ["@azure/eventgrid", "@azure/identity"],
      "Event Grid with api: sdk",
    ),
};

export const eventGridTarget = eventGridTargetWith(nodeEventGridClients);

export const createNodeEventGridAdapter = (options: EventGridOptions, runtime: AdapterRuntime) =>
  createEventGridAdapter(options, runtime, nodeEventGridClients);
