/**
 * createGateway for Node: the core gateway composed with every target type
 * Node can run (`nodeTargets`), beside any of the caller's own, and the Node
 * runtime services (`nodeRuntime`). This is what
 * the package root exports; `ce-gateway/core` has the bare core.
 */
import { EMBEDDED_DEFAULT_CONFIG, type GatewayConfig } from "../../config/gateway-config.js";
import {
  createGateway as createCoreGateway,
  type Gateway,
  type GatewayOptions,
} from "../../http/create-gateway.js";
import { nodeDedupStores } from "./dedup-stores.js";
import { nodeRuntime } from "./node-runtime.js";
import { nodeTargets } from "./targets.js";

export type { Gateway, GatewayOptions };

export function createGateway(
  config: GatewayConfig = EMBEDDED_DEFAULT_CONFIG,
  options: GatewayOptions = {},
): Gateway {
  return createCoreGateway(config, {
    ...options,
    targetTypes: { ...nodeTargets, ...options.targetTypes },
    runtime: { ...nodeRuntime, ...options.runtime },
    dedupStores: options.dedupStores ?? nodeDedupStores(options.clock),
  });
}
