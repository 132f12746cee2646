/**
 * Opens the outbox `delivery.outbox` names, before the gateway starts: the
 * local log is recovered first (what a crash left waiting is delivered once
 * the dispatcher starts; its folder is relative to the config file), or the
 * JetStream stream several instances share is joined (its stream and
 * consumers made if absent). A Cloudflare Queue outbox is the Worker's; a
 * Node process refuses it.
 */
import { resolve } from "node:path";
import { ConfigError } from "../../../config/config-error.js";
import type { GatewayConfig } from "../../../config/gateway-config.js";
import {
  DEFAULT_OUTBOX_MAX_BYTES,
  DEFAULT_OUTBOX_MAX_RECORDS,
  type OutboxStore,
} from "../../../deliver/outbox/outbox-store.js";
import { openJetStreamOutboxStore } from "./jetstream-outbox-store.js";
import { openLogOutboxStore } from "./log-outbox-store.js";
import { nodeOutboxFs } from "./node-outbox-fs.js";

export async function openOutbox(config: GatewayConfig, baseDir: string): Promise<OutboxStore | undefined> {
  const outbox = config.delivery?.outbox;
  if (outbox === undefined) return undefined;
  if (outbox.type === "queue") {
    throw new ConfigError([
      {
        path: "delivery.outbox.type",
        message:
          "a Cloudflare Queue outbox runs only in a Worker: on Node use type log (one instance) or nats (several)",
      },
    ]);
  }
  const maxRecords = outbox.maxRecords ?? DEFAULT_OUTBOX_MAX_RECORDS;
  const maxBytes = outbox.maxBytes ?? DEFAULT_OUTBOX_MAX_BYTES;
  if (outbox.type === "nats") {
    return openJetStreamOutboxStore({
      servers: outbox.servers ?? outbox.url ?? "nats://127.0.0.1:4222",
      stream: outbox.stream,
      maxRecords,
      maxBytes,
      ...(outbox.shards !== undefined && { shards: outbox.shards }),
      ...(outbox.ackWaitMs !== undefined && { ackWaitMs: outbox.ackWaitMs }),
    });
  }
  return openLogOutboxStore({
    fs: await nodeOutboxFs(resolve(baseDir, outbox.dir)),
    maxRecords,
    maxBytes,
  });
}
