/**
 * One NATS connection, kept up forever: the first connect is retried until
 * it succeeds (or the adapter closes), later outages are reconnected by the
 * client, and at every moment it says whether it is connected, so a publish
 * while it is down fails fast instead of queueing in the client's reconnect
 * buffer (nothing is acked unless NATS acked it). It also remembers what the
 * server told it (max_payload) across outages, and tells its listeners which
 * publishes the server refused for lack of permission and when the
 * connection was lost (what was in flight on it will never be answered).
 */

import type { NatsConnection } from "@nats-io/nats-core";
import { untilAborted } from "../../src/adapter/until-aborted.js";

/** One connect attempt (the client's own first-connect retries are off: this class owns them). */
export type NatsConnector = () => Promise<NatsConnection>;

/** The server's default max_payload, used until its INFO says otherwise. */
export const DEFAULT_MAX_PAYLOAD = 1024 * 1024;

/** A publish the server refused: reported asynchronously, after the publish itself returned. */
export interface PermissionDenial {
  readonly subject: string;
  readonly message: string;
}

export class ManagedConnection {
  #connection: NatsConnection | undefined;
  #connected = false;
  #closed = false;
  #lastError: unknown;
  #maxPayload: number | undefined;
  readonly #denialListeners = new Set<(denial: PermissionDenial) => void>();
  readonly #lossListeners = new Set<() => void>();
  readonly #opened: Promise<NatsConnection | undefined>;
  #wake: (() => void) | undefined;

  constructor(connector: NatsConnector, retryWaitMs: number) {
    this.#opened = this.#connectLoop(connector, retryWaitMs);
  }

  async #connectLoop(connector: NatsConnector, retryWaitMs: number): Promise<NatsConnection | undefined> {
    while (!this.#closed) {
      try {
        const connection = await connector();
        if (this.#closed) {
          await connection.close().catch(() => {});
          return undefined;
        }
        this.#connection = connection;
        this.#connected = true;
        this.#maxPayload = connection.info?.max_payload ?? this.#maxPayload;
        void this.#watch(connection);
        return connection;
      } catch (error) {
        // Server down, credentials refused, a creds file not readable yet: all may heal; try again.
        this.#lastError = error;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, retryWaitMs + Math.random() * retryWaitMs);
          this.#wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
    return undefined;
  }

  async #watch(connection: NatsConnection): Promise<void> {
    for await (const status of connection.status()) {
      if (status.type === "disconnect" || status.type === "staleConnection" || status.type === "close") {
        this.#lost();
      } else if (status.type === "reconnect") {
        this.#connected = true;
        this.#maxPayload = connection.info?.max_payload ?? this.#maxPayload;
      } else if (status.type === "error") {
        const error = status.error as {
          name?: string;
          operation?: string;
          subject?: string;
          message?: string;
        };
        if (
          error.name === "PermissionViolationError" &&
          error.operation === "publish" &&
          error.subject !== undefined
        ) {
          const denial = { subject: error.subject, message: error.message ?? "permission denied" };
          for (const listener of this.#denialListeners) listener(denial);
        }
      }
    }
    this.#lost();
  }

  #lost(): void {
    this.#connected = false;
    for (const listener of this.#lossListeners) listener();
  }

  /** The connection, only while it is connected. */
  get current(): NatsConnection | undefined {
    return this.#connected && !this.#closed ? this.#connection : undefined;
  }

  /** The server's max_payload as last seen (kept through outages); undefined before the first connect. */
  get maxPayload(): number | undefined {
    return this.#maxPayload;
  }

  /** Why the first connect has not succeeded yet, if it has not. */
  get lastError(): unknown {
    return this.#connection === undefined ? this.#lastError : undefined;
  }

  /**
   * The connection for a publish: the current one, or, while the very first
   * connect is still under way, that connect if it succeeds before the
   * attempt ends (a gateway just started should not refuse its first
   * events). After a disconnect there is no waiting: publishes fail fast
   * until it is back.
   */
  async forPublish(signal: AbortSignal): Promise<NatsConnection | undefined> {
    if (this.current !== undefined || this.#connection !== undefined || this.#closed) return this.current;
    await untilAborted(this.#opened, signal).catch(() => undefined);
    return this.current;
  }

  /**
   * Calls `listener` with each publish the server refuses for lack of
   * permission, in the order the server refused them. The server's -ERR
   * precedes the PONG of any flush sent after the publish, but reaches
   * listeners through the client's status stream, a few microtasks after
   * that PONG may have been handled: wait a turn after a PONG before taking
   * a publish as not refused.
   */
  onDenial(listener: (denial: PermissionDenial) => void): void {
    this.#denialListeners.add(listener);
  }

  /** Calls `listener` whenever the connection is lost (or closed): nothing sent before will be answered. */
  onLoss(listener: () => void): void {
    this.#lossListeners.add(listener);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#connected = false;
    this.#wake?.();
    await this.#connection?.close().catch(() => {});
  }
}
