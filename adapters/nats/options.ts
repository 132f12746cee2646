/** Options of the `nats` target, as configured (see descriptor.ts for the schema). */
export interface NatsOptions {
  readonly url?: string;
  readonly servers?: readonly string[];
  /** Template; the router expands it into each message's address. */
  readonly subject: string;
  readonly mode?: "binary" | "structured";
  readonly jetstream?: { readonly stream?: string };
  readonly token?: string;
  readonly user?: string;
  readonly pass?: string;
  readonly nkey?: string;
  readonly creds?: string;
  readonly tls?: { readonly ca?: string; readonly cert?: string; readonly key?: string };
  readonly timeoutMs?: number;
  readonly reconnectWaitMs?: number;
}

export const serversOf = (options: NatsOptions): string[] => [
  ...(options.servers ?? (options.url ? [options.url] : [])),
];
