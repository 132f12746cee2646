/**
 * The Workers transport for the NATS target: TCP through workerd's
 * `cloudflare:sockets` (TLS by STARTTLS when the server asks for it), with
 * token, user and password, or NKey seed authentication. Options that name
 * files (`creds`, `tls` certificates) cannot work where there are no files
 * and are refused. Registering the transport factory is module-level state
 * of the NATS client: only Workers code calls this.
 */
import type { NatsConnection } from "@nats-io/nats-core";
import { NatsConnectionImpl, setTransportFactory } from "@nats-io/nats-core/internal";
import { portableConnectionOptions } from "../connection-options.js";
import type { NatsTransport } from "../index.js";
import { type NatsOptions, serversOf } from "../options.js";
import { workersRefusal } from "./refusal.js";
import { SocketTransport } from "./socket-transport.js";

const requiresTls = (options: NatsOptions) => serversOf(options).some((s) => /^tls:\/\//i.test(s));

export const connectWorkers: NatsTransport = async (options, name): Promise<NatsConnection> => {
  const refusal = workersRefusal(options);
  if (refusal !== undefined) throw new Error(refusal);
  // Set before every connect: reconnects of this connection create their transports through it too.
  setTransportFactory({ factory: () => new SocketTransport(), defaultPort: 4222 });
  const connectionOptions = await portableConnectionOptions(options, name);
  return NatsConnectionImpl.connect({
    ...connectionOptions,
    // tls:// asks for TLS even if the server only offers it (an empty object: no files).
    ...(requiresTls(options) && { tls: {} }),
  });
};
