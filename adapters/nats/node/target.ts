/** The `nats` target type as the Node entry composes it: the portable adapter over TCP. */
import type { AdapterRuntime } from "../../../src/adapter/adapter.js";
import { createNatsAdapter, natsTargetWith } from "../index.js";
import type { NatsOptions } from "../options.js";
import { connectNode } from "./connect.js";

export const natsTarget = natsTargetWith(connectNode);

/** A NATS adapter connected over TCP (library users and tests on Node). */
export const createNodeNatsAdapter = (options: NatsOptions, runtime: AdapterRuntime) =>
  createNatsAdapter(options, runtime, connectNode);
