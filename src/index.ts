/**
 * ce-gateway as a library on Node: everything `ce-gateway/core` exports,
 * with `createGateway` composed with every target type Node can run
 * (`nodeTargets`) and the Node runtime services.
 *
 * @example
 * import { Hono } from "hono";
 * import { createGateway } from "ce-gateway";
 * const app = new Hono();
 * app.route("/ingest", createGateway({ targets: { audit: { type: "stdout" } }, routes: [{ name: "all", to: ["audit"] }] }));
 */

// A named export takes precedence over the same name from `export *`: this createGateway is Node's.
export * from "./core.js";
export { createGateway } from "./entries/node/create-gateway.js";
export { nodeTargets } from "./entries/node/targets.js";
