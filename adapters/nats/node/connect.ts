/**
 * The Node transport for the NATS target: TCP (and TLS) through
 * @nats-io/transport-node, with credentials and certificates read from files.
 */
import { readFile } from "node:fs/promises";
import type { ConnectionOptions, NatsConnection } from "@nats-io/nats-core";
import { portableConnectionOptions } from "../connection-options.js";
import type { NatsOptions } from "../options.js";

export async function connectionOptionsOf(options: NatsOptions, name: string): Promise<ConnectionOptions> {
  const { credsAuthenticator } = await import("@nats-io/nats-core");
  const creds = options.creds === undefined ? [] : [credsAuthenticator(await readFile(options.creds))];
  return {
    ...(await portableConnectionOptions(options, name, creds)),
    ...(options.tls !== undefined && {
      tls: {
        ...(options.tls.ca !== undefined && { caFile: options.tls.ca }),
        ...(options.tls.cert !== undefined && { certFile: options.tls.cert }),
        ...(options.tls.key !== undefined && { keyFile: options.tls.key }),
      },
    }),
  };
}

export async function connectNode(options: NatsOptions, name: string): Promise<NatsConnection> {
  const { connect } = await import("@nats-io/transport-node");
  return connect(await connectionOptionsOf(options, name));
}
