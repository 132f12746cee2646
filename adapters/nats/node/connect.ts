/**
 * The Node transport for the NATS target: TCP (and TLS) through
 * @nats-io/transport-node, with credentials and certificates read from files.
 */
import { readFile } from "node:fs/promises";
import type { Authenticator, ConnectionOptions, NatsConnection } from "@nats-io/nats-core";
import { type NatsOptions, serversOf } from "../options.js";

export async function connectionOptionsOf(options: NatsOptions, name: string): Promise<ConnectionOptions> {
  const { credsAuthenticator, nkeyAuthenticator } = await import("@nats-io/nats-core");
  const authenticators: Authenticator[] = [];
  if (options.nkey !== undefined)
    authenticators.push(nkeyAuthenticator(new TextEncoder().encode(options.nkey)));
  if (options.creds !== undefined) authenticators.push(credsAuthenticator(await readFile(options.creds)));
  return {
    servers: serversOf(options),
    name,
    ...(options.token !== undefined && { token: options.token }),
    ...(options.user !== undefined && { user: options.user, pass: options.pass ?? "" }),
    ...(authenticators.length > 0 && { authenticator: authenticators }),
    ...(options.tls !== undefined && {
      tls: {
        ...(options.tls.ca !== undefined && { caFile: options.tls.ca }),
        ...(options.tls.cert !== undefined && { certFile: options.tls.cert }),
        ...(options.tls.key !== undefined && { keyFile: options.tls.key }),
      },
    }),
    // A first connect that fails returns at once: ManagedConnection retries it, and can stop.
    waitOnFirstConnect: false,
    // Once connected, never give up: the connection comes back after any outage without a restart.
    maxReconnectAttempts: -1,
    reconnectTimeWait: options.reconnectWaitMs ?? 250,
    reconnectJitter: 50,
    pingInterval: 20_000,
  };
}

export async function connectNode(options: NatsOptions, name: string): Promise<NatsConnection> {
  const { connect } = await import("@nats-io/transport-node");
  return connect(await connectionOptionsOf(options, name));
}
