/** The part of workerd's `cloudflare:sockets` module the NATS transport uses. */
declare module "cloudflare:sockets" {
  export interface SocketAddress {
    readonly hostname: string;
    readonly port: number;
  }
  export interface SocketOptions {
    /** "starttls": plain at first, upgraded by startTls() when the protocol says so. */
    readonly secureTransport?: "off" | "on" | "starttls";
    readonly allowHalfOpen?: boolean;
  }
  export interface Socket {
    readonly readable: ReadableStream<Uint8Array>;
    readonly writable: WritableStream<Uint8Array>;
    readonly opened: Promise<unknown>;
    readonly closed: Promise<void>;
    close(): Promise<void>;
    startTls(options?: { readonly expectedServerHostname?: string }): Socket;
  }
  export function connect(address: SocketAddress | string, options?: SocketOptions): Socket;
}
