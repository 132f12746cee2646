/**
 * The NATS KV dedup store on Node: connects over TCP, opens (or creates) the
 * bucket with the window as its TTL, and closes the connection with the
 * store. Several gateway instances pointed at the same bucket share records.
 */
import type { NatsConnection } from "@nats-io/nats-core";
import { openNatsKvDedupStore } from "../../../adapters/nats/dedup/nats-kv-dedup-store.js";
import type { DedupConfig, DedupStore, DedupStoreConfig } from "../../deliver/dedup/dedup-store.js";

export type NatsKvDedupOptions = Omit<Extract<DedupStoreConfig, { type: "nats-kv" }>, "type">;

export async function natsKvDedupStore(
  options: NatsKvDedupOptions & Pick<DedupConfig, "windowMs">,
): Promise<DedupStore> {
  const { connect } = await import("@nats-io/transport-node");
  const servers = [...(options.servers ?? (options.url === undefined ? [] : [options.url]))];
  const nc: NatsConnection = await connect({
    ...(servers.length > 0 && { servers }),
    name: "ce-gateway dedup",
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    ...(options.token !== undefined && { token: options.token }),
    ...(options.user !== undefined && { user: options.user }),
    ...(options.pass !== undefined && { pass: options.pass }),
  });
  try {
    return await openNatsKvDedupStore(nc, options, () => nc.close());
  } catch (error) {
    await nc.close();
    throw error;
  }
}
