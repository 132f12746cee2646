/**
 * `ce-gateway/core`: the runtime-neutral gateway with no target type of its
 * own, for programs that compose their own catalog (or run on a runtime
 * other than Node and Workers). It imports no adapter and no Node API.
 *
 * @example
 * import { createGateway } from "ce-gateway/core";
 * const gateway = createGateway(config, { targetTypes: { mine: { descriptor, load } } });
 */

export type {
  Adapter,
  AdapterCapabilities,
  AdapterFactory,
  AdapterRuntime,
  OutboundMessage,
  PublishOptions,
  PublishOutcome,
  Receipt,
  TargetDescriptor,
} from "./adapter/adapter.js";
export { acked, retriable, terminal } from "./adapter/adapter.js";
export type { TargetCatalog, TargetType } from "./adapter/catalog.js";
export type { TargetConfig } from "./adapter/target-registry.js";
export { ConfigError, type ConfigIssue } from "./config/config-error.js";
export { EMBEDDED_DEFAULT_CONFIG, type GatewayConfig, type RouteConfig } from "./config/gateway-config.js";
export { type ParseConfigOptions, parseConfig } from "./config/parse-config.js";
export type { Clock, Principal, RequestContext, TraceContext } from "./context/request-context.js";
export { type FieldFailure, GatewayError, isGatewayError } from "./errors/errors.js";
export { PROBLEM_TYPES, type ProblemCode, problemTypeUri } from "./errors/problem-types.js";
export type { AttributeValue, CloudEvent, CoreAttributes } from "./event/cloud-event.js";
export { EventData, getAttribute } from "./event/cloud-event.js";
export { toJsonBatch, toJsonFormat, toJsonLine } from "./event/json-format.js";
export { createGateway, type Gateway, type GatewayOptions } from "./http/create-gateway.js";
export { type Logger, logObserver } from "./observe/log-observer.js";
export {
  type GatewayMetrics,
  type MetricsObserverOptions,
  metricsObserver,
  type PublishOutcomeLabel,
} from "./observe/metrics-observer.js";
export { combineObservers, type GatewayReport, type Observer } from "./observe/observer.js";
export type { EventValidator } from "./validate/event-validator.js";
