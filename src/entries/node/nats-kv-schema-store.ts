/**
 * Schema versions in a NATS JetStream key-value bucket, shared by several
 * gateway instances: each watches the bucket, so a version registered on one
 * is enforced by all within moments. Keys are `<base64url(type)>.<n>`, created
 * only if absent, so two instances cannot both take a number.
 */
import type { NatsConnection } from "@nats-io/nats-core";
import { type SchemaStore, type StoredSchema, VersionTakenError } from "../../schemas/schema-store.js";
import { type SchemaVersion, toSchemaVersion } from "../../schemas/schema-version.js";

const keyOf = (eventType: string, version: number) =>
  `${Buffer.from(eventType).toString("base64url")}.${version}`;

function decode(value: Uint8Array): SchemaVersion {
  const stored = JSON.parse(new TextDecoder().decode(value)) as StoredSchema;
  return toSchemaVersion(stored.eventType, stored.version, stored.schema);
}

export async function natsKvSchemaStore(options: {
  url: string;
  bucket: string;
  token?: string;
}): Promise<SchemaStore> {
  const { connect } = await import("@nats-io/transport-node");
  const { Kvm } = await import("@nats-io/kv");
  const nc: NatsConnection = await connect({
    servers: options.url,
    name: "ce-gateway schema registry",
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    ...(options.token !== undefined && { token: options.token }),
  });
  const kv = await new Kvm(nc).create(options.bucket, { history: 1 });
  return {
    async load() {
      const versions: SchemaVersion[] = [];
      for await (const key of await kv.keys()) {
        const entry = await kv.get(key);
        if (entry !== null && entry.operation === "PUT") versions.push(decode(entry.value));
      }
      return versions;
    },
    async save(version) {
      const stored: StoredSchema = {
        eventType: version.eventType,
        version: version.version,
        schema: version.schema,
      };
      try {
        await kv.create(keyOf(version.eventType, version.version), JSON.stringify(stored));
      } catch (error) {
        // The server refuses a create on an existing key (wrong last sequence).
        if (/wrong last sequence|exists/i.test((error as Error).message))
          throw new VersionTakenError(version.eventType, version.version);
        throw error;
      }
    },
    watch(onVersions, onError) {
      let stopped = false;
      const watching = kv.watch({ include: "updates" }).then(async (updates) => {
        for await (const entry of updates) {
          if (stopped) break;
          if (entry.operation !== "PUT") continue;
          try {
            onVersions([decode(entry.value)]);
          } catch (error) {
            onError(error);
          }
        }
        return updates;
      });
      return () => {
        stopped = true;
        void watching.then((updates) => updates.stop()).catch(() => {});
      };
    },
    async close() {
      await nc.close();
    },
  };
}
