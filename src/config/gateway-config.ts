/**
 * The gateway's configuration as data, and its defaults. With no config file
 * the embedded default sends every valid event to `stdout`.
 */
import type { TargetConfig } from "../adapter/target-registry.js";
import type { AuthConfig } from "../auth/auth-config.js";
import type { HashedSecret } from "../auth/hashed-secrets.js";
import type { FilterConfig } from "../filter/filter-config.js";
import type { CorsConfig } from "../http/cors/cors-config.js";
import type { UnmatchedPolicy } from "../route/route.js";
import type { CompatibilityMode } from "../schemas/compatibility-mode.js";
import type { SourceConfig } from "../sources/source.js";
import type { TransformConfig } from "../transform/transform-config.js";
import type { DeliverySectionConfig, RouteDeliveryConfig } from "./delivery-config.js";

export type { CompatibilityMode };

export interface RouteConfig extends RouteDeliveryConfig {
  readonly name: string;
  /** All must match; none means every event. */
  readonly filters?: readonly FilterConfig[];
  readonly to: readonly string[];
  readonly stop?: boolean;
  /** How the route reshapes what it sends (JSONata over the event); absent: sent as received. */
  readonly transform?: TransformConfig;
  /** `addExtension`: an event without the distributed-tracing extension gains one (off by default: it changes the event). */
  readonly trace?: { readonly addExtension?: boolean };
}

export interface AdminConfig {
  readonly port: number;
  readonly host?: string;
  /** The admin tokens, stored as SHA-256: any of them is accepted (rotation), and its id names the caller. */
  readonly tokens?: readonly HashedSecret[];
  /** @deprecated One plain-text token; use `tokens`. Accepted as the principal "admin.token". */
  readonly token?: string;
}

export interface WebhookConfig {
  /** Origins granted by the OPTIONS handshake; "*" grants any. */
  readonly allowedOrigins?: readonly string[];
  /** Requests per minute granted; absent means no limit ("*"). */
  readonly allowedRate?: number;
}

export type SchemaStoreConfig =
  | { readonly type: "files" }
  | { readonly type: "nats-kv"; readonly url: string; readonly bucket: string; readonly token?: string };

export interface SchemasConfig {
  /** The registry folder, relative to the config file. */
  readonly dir?: string;
  readonly mode?: "enforce" | "warn" | "off";
  readonly requireSchema?: boolean;
  readonly compatibility?: CompatibilityMode;
  readonly types?: Readonly<Record<string, { readonly mode?: "enforce" | "warn" | "off" }>>;
  readonly store?: SchemaStoreConfig;
}

export interface GatewayConfig {
  readonly version?: 1;
  readonly server?: {
    readonly port?: number;
    readonly host?: string;
    readonly maxBodyBytes?: number;
    readonly maxBatchEvents?: number;
    /** JSON nested deeper gets 400 json-too-deep, before it is parsed (at most MAX_JSON_DEPTH). */
    readonly maxJsonDepth?: number;
    /** A JSON string longer than this many bytes gets 400 json-string-too-long. */
    readonly maxJsonStringBytes?: number;
    /** Node: request line and headers larger than this get 431 (Workers: the platform's limit). */
    readonly maxHeaderBytes?: number;
    /** Node: more header fields get 431. */
    readonly maxHeaderCount?: number;
    /** Node: headers and body not all received in this time get 408. */
    readonly bodyTimeoutMs?: number;
    /** Node: connections over this many get 503 overloaded. */
    readonly maxConnections?: number;
    /** Node: requests over this many being handled at once get 503 overloaded with Retry-After. */
    readonly maxInFlight?: number;
    /** On shutdown: how long the outbox dispatcher's deliveries in flight may take (default 10 s). */
    readonly shutdownGraceMs?: number;
    /** Node: serve https with this certificate and key (PEM files); Workers: the platform's TLS. */
    readonly tls?: { readonly certFile: string; readonly keyFile: string };
    /** Node: GET `path` (default /metrics) on this listener answers a Prometheus scrape, with this bearer token only. */
    readonly metrics?: { readonly path?: string; readonly token: string };
  };
  readonly admin?: AdminConfig;
  readonly targets?: Readonly<Record<string, TargetConfig>>;
  readonly routes?: readonly RouteConfig[];
  readonly unmatched?: UnmatchedPolicy;
  readonly delivery?: DeliverySectionConfig;
  readonly schemas?: SchemasConfig;
  readonly auth?: AuthConfig;
  /** CORS for browser producers on /events and every source's path (a source may replace it). */
  readonly cors?: CorsConfig;
  readonly ingest?: { readonly webhook?: WebhookConfig; readonly sources?: readonly SourceConfig[] };
}

export const DEFAULT_PORT = 8080;
export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_MAX_BATCH_EVENTS = 1000;
export const DEFAULT_DELIVERY_TIMEOUT_MS = 10_000;

export const EMBEDDED_DEFAULT_CONFIG: GatewayConfig = {
  version: 1,
  targets: { stdout: { type: "stdout" } },
  routes: [{ name: "everything-to-stdout", to: ["stdout"] }],
};
