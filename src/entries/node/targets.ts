/**
 * The target types a Node gateway can run: every built-in adapter with its
 * Node transports (NATS over TCP, Pub/Sub over gRPC or REST, Event Grid
 * through the Azure SDK or REST). Each adapter is loaded only when a config
 * names its type, so a deployment loads only the SDKs it uses.
 */
import { eventGridDescriptor } from "../../../adapters/eventgrid/descriptor.js";
import { httpDescriptor } from "../../../adapters/http/descriptor.js";
import { memoryDescriptor } from "../../../adapters/memory/descriptor.js";
import { natsDescriptor } from "../../../adapters/nats/descriptor.js";
import { pubsubDescriptor } from "../../../adapters/pubsub/descriptor.js";
import { stdoutDescriptor } from "../../../adapters/stdout/descriptor.js";
import type { TargetCatalog } from "../../adapter/catalog.js";

export const nodeTargets: TargetCatalog = {
  stdout: {
    descriptor: stdoutDescriptor,
    load: () => import("../../../adapters/stdout/index.js").then((m) => m.stdoutTarget),
  },
  memory: {
    descriptor: memoryDescriptor,
    load: () => import("../../../adapters/memory/index.js").then((m) => m.memoryTarget),
  },
  eventgrid: {
    descriptor: eventGridDescriptor,
    load: () => import("../../../adapters/eventgrid/node/target.js").then((m) => m.eventGridTarget),
  },
  http: {
    descriptor: httpDescriptor,
    load: () => import("../../../adapters/http/index.js").then((m) => m.httpTarget),
  },
  nats: {
    descriptor: natsDescriptor,
    load: () => import("../../../adapters/nats/node/target.js").then((m) => m.natsTarget),
  },
  pubsub: {
    descriptor: pubsubDescriptor,
    load: () => import("../../../adapters/pubsub/node/target.js").then((m) => m.pubsubTarget),
  },
};
