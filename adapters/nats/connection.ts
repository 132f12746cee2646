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
  #everConnected = false;
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
        this.#everConnected = true;
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

  /**
   * The connection for a publish: the current one, or, while the very first
   * connect is still under way, that connect if it succeeds within `waitMs`
   * (a gateway just started should not refuse its first events). After a
   * disconnect there is no waiting: publishes fail fast until it is back.
   */
  async forPublish(waitMs: number): Promise<NatsConnection | undefined> {
    if (this.current !== undefined || this.#everConnected || this.#closed) return this.current;
    let timer: ReturnType<typeof globalThis.setTimeout> | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = globalThis.setTimeout(() => resolve(undefined), Math.max(0, waitMs));
    });
    await Promise.race([this.#opened, timeout]);
    globalThis.clearTimeout(timer);
    return this.current;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#connected = false;
    await this.#connection?.close().catch(() => {});
  }
}
