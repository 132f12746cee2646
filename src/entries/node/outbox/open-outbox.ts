/**
 * Opens the outbox `delivery.outbox` names, before the gateway starts: the
 * local log is recovered first (what a crash left waiting is delivered once
 * the dispatcher starts). Its folder is relative to the config file.
 */
import { resolve } from "node:path";
import type { GatewayConfig } from "../../../config/gateway-config.js";
import {
  DEFAULT_OUTBOX_MAX_BYTES,
  DEFAULT_OUTBOX_MAX_RECORDS,
  type OutboxStore,
} from "../../../deliver/outbox/outbox-store.js";
import { openLogOutboxStore } from "./log-outbox-store.js";
import { nodeOutboxFs } from "./node-outbox-fs.js";

export async function openOutbox(config: GatewayConfig, baseDir: string): Promise<OutboxStore | undefined> {
  const outbox = config.delivery?.outbox;
  if (outbox === undefined) return undefined;
  return openLogOutboxStore({
    fs: await nodeOutboxFs(resolve(baseDir, outbox.dir)),
    maxRecords: outbox.maxRecords ?? DEFAULT_OUTBOX_MAX_RECORDS,
    maxBytes: outbox.maxBytes ?? DEFAULT_OUTBOX_MAX_BYTES,
  });
}
