/** The JSON limits a config sets (server.maxJsonDepth, server.maxJsonStringBytes), defaults filled in. */
import {
  DEFAULT_MAX_JSON_DEPTH,
  DEFAULT_MAX_JSON_STRING_BYTES,
  type JsonLimits,
} from "../codec/json-limits.js";
import type { GatewayConfig } from "./gateway-config.js";

export const jsonLimitsOf = (config: GatewayConfig): JsonLimits => ({
  maxDepth: config.server?.maxJsonDepth ?? DEFAULT_MAX_JSON_DEPTH,
  maxStringBytes: config.server?.maxJsonStringBytes ?? DEFAULT_MAX_JSON_STRING_BYTES,
});
