/**
 * Built-in target types: a small static descriptor each (options schema,
 * addressing), and the adapter itself loaded lazily by name, so a deployment
 * only ever loads the adapters (and SDKs) its config names.
 */
import { eventGridDescriptor } from "../../adapters/eventgrid/descriptor.js";
import { httpDescriptor } from "../../adapters/http/descriptor.js";
import { memoryDescriptor } from "../../adapters/memory/descriptor.js";
import { natsDescriptor } from "../../adapters/nats/descriptor.js";
import { pubsubDescriptor } from "../../adapters/pubsub/descriptor.js";
import { stdoutDescriptor } from "../../adapters/stdout/descriptor.js";
import type { AdapterFactory, TargetDescriptor } from "./adapter.js";

export interface TargetType {
  readonly descriptor: TargetDescriptor;
  readonly load: () => Promise<AdapterFactory<never>>;
}

export type TargetCatalog = Readonly<Record<string, TargetType>>;

export const BUILTIN_TARGETS: TargetCatalog = {
  stdout: {
    descriptor: stdoutDescriptor,
    load: () => import("../../adapters/stdout/index.js").then((m) => m.stdoutTarget),
  },
  memory: {
    descriptor: memoryDescriptor,
    load: () => import("../../adapters/memory/index.js").then((m) => m.memoryTarget),
  },
  eventgrid: {
    descriptor: eventGridDescriptor,
    load: () => import("../../adapters/eventgrid/index.js").then((m) => m.eventGridTarget),
  },
  http: {
    descriptor: httpDescriptor,
    load: () => import("../../adapters/http/index.js").then((m) => m.httpTarget),
  },
  nats: {
    descriptor: natsDescriptor,
    load: () => import("../../adapters/nats/node/target.js").then((m) => m.natsTarget),
  },
  pubsub: {
    descriptor: pubsubDescriptor,
    load: () => import("../../adapters/pubsub/index.js").then((m) => m.pubsubTarget),
  },
};
