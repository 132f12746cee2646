/**
 * The NATS client options every transport shares: servers, name, token,
 * user and password, an NKey seed, and the reconnect policy the adapter's
 * ManagedConnection relies on. Options that name files (creds, TLS
 * certificates) are added by the Node transport alone.
 */
import type { Authenticator, ConnectionOptions } from "@nats-io/nats-core";
import { type NatsOptions, serversOf } from "./options.js";

export async function portableConnectionOptions(
  options: NatsOptions,
  name: string,
  extraAuthenticators: readonly Authenticator[] = [],
): Promise<ConnectionOptions> {
  const { nkeyAuthenticator } = await import("@nats-io/nats-core");
  const authenticators: Authenticator[] = [];
  if (options.nkey !== undefined)
    authenticators.push(nkeyAuthenticator(new TextEncoder().encode(options.nkey)));
  authenticators.push(...extraAuthenticators);
  return {
    servers: serversOf(options),
    name,
    ...(options.token !== undefined && { token: options.token }),
    ...(options.user !== undefined && { user: options.user, pass: options.pass ?? "" }),
    ...(authenticators.length > 0 && { authenticator: authenticators }),
    // A first connect that fails returns at once: ManagedConnection retries it, and can stop.
    waitOnFirstConnect: false,
    // Once connected, never give up: the connection comes back after any outage without a restart.
    maxReconnectAttempts: -1,
    reconnectTimeWait: options.reconnectWaitMs ?? 250,
    reconnectJitter: 50,
    pingInterval: 20_000,
  };
}
