/**
 * Pub/Sub through the official Node client (@google-cloud/pubsub, gRPC).
 * Ordering keys keep per-key order; after a failed publish on a key, the key
 * is resumed so later events are not stuck behind it.
 */
import { acked, type PublishOutcome, retriable } from "../../../src/adapter/adapter.js";
import { describeError } from "../../../src/errors/errors.js";
import { pubsubDescriptor } from "../descriptor.js";
import type { PubsubOptions } from "../options.js";
import { classifyStatus, GRPC_STATUS_NAMES, type Publisher } from "../publisher.js";

function classify(error: unknown): PublishOutcome {
  const code = (error as { code?: unknown }).code;
  const name = typeof code === "number" ? GRPC_STATUS_NAMES[code] : undefined;
  const details = (error as { details?: string }).details ?? describeError(error);
  return name === undefined ? retriable(`Pub/Sub client failed: ${details}`) : classifyStatus(name, details);
}

export async function grpcPublisher(options: PubsubOptions): Promise<Publisher> {
  const { PubSub } = await import("@google-cloud/pubsub");
  const client = new PubSub({
    projectId: options.projectId,
    // host:port of an emulator or private endpoint: the client then connects without TLS or credentials.
    ...(options.apiEndpoint !== undefined && { apiEndpoint: options.apiEndpoint }),
    ...(options.credentials?.keyFile !== undefined && { keyFilename: options.credentials.keyFile }),
    ...(options.credentials?.keyJson !== undefined && {
      credentials: JSON.parse(options.credentials.keyJson),
    }),
  });
  type Topic = ReturnType<typeof client.topic>;
  const topics = new Map<string, Topic>();
  const topicFor = (name: string): Topic => {
    let topic = topics.get(name);
    if (topic === undefined) {
      topic = client.topic(name, {
        messageOrdering: true,
        batching: {
          maxMessages: options.batching?.maxMessages ?? 100,
          maxBytes: options.batching?.maxBytes ?? 1_000_000,
          maxMilliseconds: options.batching?.maxDelayMs ?? 10,
        },
        // One RPC carries messages of several attempts, so no attempt's deadline fits it: the
        // target's timeout bounds how long the client retries a batch by itself.
        gaxOpts: { timeout: options.timeoutMs ?? pubsubDescriptor.defaultTimeoutMs },
      });
      topics.set(name, topic);
    }
    return topic;
  };
  return {
    publish(topicName, messages, signal) {
      const topic = topicFor(topicName);
      // The client retries UNAVAILABLE and the like by itself: the attempt ends when its signal
      // aborts, and a message the client still delivers later is a duplicate the producer's retry allows.
      const giveUp = new Promise<PublishOutcome>((resolve) => {
        const stop = () => resolve(retriable(`Pub/Sub did not answer: ${describeError(signal.reason)}`));
        if (signal.aborted) stop();
        else signal.addEventListener("abort", stop, { once: true });
      });
      return Promise.all(
        messages.map((m) =>
          Promise.race([
            giveUp,
            topic
              .publishMessage({
                data: Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength),
                attributes: { ...m.attributes },
                ...(m.orderingKey ? { orderingKey: m.orderingKey } : {}),
              })
              .then(
                (id) => acked({ id }),
                (error: unknown) => {
                  // The client pauses a key after a failure; resume so the key's later events can go.
                  if (m.orderingKey) topic.resumePublishing(m.orderingKey);
                  return classify(error);
                },
              ),
          ]),
        ),
      );
    },
    async close() {
      await Promise.allSettled([...topics.values()].map((t) => t.flush()));
      await client.close();
    },
  };
}
