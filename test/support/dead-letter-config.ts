/**
 * The config the dead-letter fault tests run: an HTTP receiver behind route
 * `orders`, whose dead letter `dlq` is a JetStream nats target.
 */
export function deadLetterConfig(options: {
  readonly receiverUrl: string;
  readonly natsUrl: string;
  readonly stream: string;
  /** The dead letter's attempt timeout. */
  readonly dlqTimeoutMs: number;
  /** YAML put before the rest (an `admin:` section). */
  readonly before?: string;
}): string {
  return `${options.before ?? ""}
targets:
  receiver: { type: http, url: "${options.receiverUrl}/in", timeoutMs: 2000 }
  dlq:
    type: nats
    url: ${options.natsUrl}
    subject: deadletters.orders
    jetstream: { stream: ${options.stream} }
    reconnectWaitMs: 100
    timeoutMs: ${options.dlqTimeoutMs}
routes:
  - name: orders
    to: [receiver]
    deadLetter: dlq
delivery:
  timeoutMs: 5000
`;
}
