/**
 * One NATS connection, kept up forever: it reconnects after any outage
 * without a restart, and says at every moment whether it is connected, so a
 * publish while it is down fails fast instead of queueing in the client's
 * reconnect buffer (nothing is acked unless NATS acked it).
 */
import type { NatsConnection } from "@nats-io/nats-core";

/** Opens a connection that retries its first connect and every reconnect forever. */
export type NatsConnector = () => Promise<NatsConnection>;

/** The server's default max_payload, used until its INFO says otherwise. */
export const DEFAULT_MAX_PAYLOAD = 1024 * 1024;

export class ManagedConnection {
  #connection: NatsConnection | undefined;
  #connected = false;
  #closed = false;
  readonly #opened: Promise<NatsConnection | undefined>;

  constructor(connector: NatsConnector) {
    this.#opened = connector().then(
      (connection) => {
        if (this.#closed) {
          void connection.close();
          return undefined;
        }
        this.#connection = connection;
        this.#connected = true;
        void this.#watch(connection);
        return connection;
      },
      () => undefined,
    );
  }

  async #watch(connection: NatsConnection): Promise<void> {
    for await (const status of connection.status()) {
      if (status.type === "disconnect" || status.type === "staleConnection") this.#connected = false;
      else if (status.type === "reconnect") this.#connected = true;
      else if (status.type === "close") this.#connected = false;
    }
    this.#connected = false;
  }

  /** The connection, only while it is connected. */
  get current(): NatsConnection | undefined {
    return this.#connected && !this.#closed ? this.#connection : undefined;
  }

  get maxPayload(): number {
    return this.#connection?.info?.max_payload ?? DEFAULT_MAX_PAYLOAD;
  }

  /** Resolves once the first connect succeeded (or never, while the server stays down). */
  opened(): Promise<NatsConnection | undefined> {
    return this.#opened;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#connected = false;
    await this.#connection?.close().catch(() => {});
  }
}
