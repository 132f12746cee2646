/**
 * Which NATS options a Worker cannot connect with. Apart from the transport,
 * so the build (on Node) can check a config without loading workerd's
 * sockets.
 */
import { type NatsOptions, serversOf } from "../options.js";

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
