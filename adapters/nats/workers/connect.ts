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
import { SocketTransport } from "./socket-transport.js";

/** Why these options cannot connect from a Worker; undefined when they can. */
export function workersRefusal(options: NatsOptions): string | undefined {
  if (options.creds !== undefined)
    return "NATS option `creds` names a file, and a Worker has no files: use `nkey` (an NKey seed from a secret), `token`, or `user` and `pass`";
  if (options.tls !== undefined)
    return "NATS option `tls` names certificate files, which a Worker cannot read: drop it (a server that requires TLS is still reached over TLS, verified against the public CAs; client certificates are not supported)";
  const ws = serversOf(options).find((s) => /^wss?:\/\//i.test(s));
  if (ws !== undefined)
    return `NATS server ${ws} is a WebSocket URL: on Workers the target connects over TCP (nats:// or tls://)`;
  return undefined;
}

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
