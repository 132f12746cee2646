/** Options of the `pubsub` target, as configured (see descriptor.ts for the schema). */
export interface PubsubOptions {
  readonly projectId: string;
  /** Template; the router expands it into each message's address. */
  readonly topic: string;
  readonly orderingKey?: string;
  readonly mode?: "binary" | "structured";
  readonly api?: "grpc" | "rest";
  readonly apiEndpoint?: string;
  readonly credentials?: { readonly keyFile?: string; readonly keyJson?: string };
  readonly oversize?: "structured" | "refuse";
  readonly batching?: {
    readonly maxMessages?: number;
    readonly maxBytes?: number;
    readonly maxDelayMs?: number;
  };
  /** How long one attempt may take; the delivery layer applies it (see the descriptor). */
  readonly timeoutMs?: number;
}
