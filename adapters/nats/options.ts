/** Options of the `nats` target, as configured (see descriptor.ts for the schema). */
import type { HeaderEncoding } from "../../src/codec/header-value.js";

export interface NatsOptions {
  readonly url?: string;
  readonly servers?: readonly string[];
  /** Template; the router expands it into each message's address. */
  readonly subject: string;
  readonly mode?: "binary" | "structured";
  /** How binary mode writes `ce-*` values: percent-encoded (the binding), or raw for receivers on sdk-go. */
  readonly headerEncoding?: HeaderEncoding;
  readonly jetstream?: { readonly stream?: string };
  readonly token?: string;
  readonly user?: string;
  readonly pass?: string;
  readonly nkey?: string;
  readonly creds?: string;
  readonly tls?: { readonly ca?: string; readonly cert?: string; readonly key?: string };
  /** How long one attempt may take; the delivery layer applies it (see the descriptor). */
  readonly timeoutMs?: number;
  readonly reconnectWaitMs?: number;
}

export const serversOf = (options: NatsOptions): string[] => [
  ...(options.servers ?? (options.url ? [options.url] : [])),
];
