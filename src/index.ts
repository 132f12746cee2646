/**
 * ce-gateway as a library on Node: create the gateway app, composed with
 * every target type Node can run, and plug in adapters, observers and
 * validators. `ce-gateway/core` exports the same without any target type.
 *
 * @example
 * import { Hono } from "hono";
 * import { createGateway } from "ce-gateway";
 * const app = new Hono();
 * app.route("/ingest", createGateway({ targets: { audit: { type: "stdout" } }, routes: [{ name: "all", to: ["audit"] }] }));
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
} from "./adapter/adapter.js";
export { acked, retriable, terminal } from "./adapter/adapter.js";
export type { TargetCatalog, TargetType } from "./adapter/catalog.js";
export type { TargetConfig } from "./adapter/target-registry.js";
export { ConfigError, type ConfigIssue } from "./config/config-error.js";
export { EMBEDDED_DEFAULT_CONFIG, type GatewayConfig, type RouteConfig } from "./config/gateway-config.js";
export type { Clock, Principal, RequestContext, TraceContext } from "./context/request-context.js";
export { createGateway } from "./entries/node/create-gateway.js";
export { nodeTargets } from "./entries/node/targets.js";
export { type FieldFailure, GatewayError, isGatewayError } from "./errors/errors.js";
export { PROBLEM_TYPES, type ProblemCode, problemTypeUri } from "./errors/problem-types.js";
export type { AttributeValue, CloudEvent, CoreAttributes } from "./event/cloud-event.js";
export { EventData, getAttribute } from "./event/cloud-event.js";
export { toJsonBatch, toJsonFormat, toJsonLine } from "./event/json-format.js";
export type { Gateway, GatewayOptions } from "./http/create-gateway.js";
export { type Logger, logObserver } from "./observe/log-observer.js";
export { combineObservers, type GatewayReport, type Observer } from "./observe/observer.js";
export type { EventValidator } from "./validate/event-validator.js";
