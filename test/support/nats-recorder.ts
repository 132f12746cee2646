/**
 * Test helper: records every message a real NATS connection receives on a
 * subject, and confirms the subscription reached the server before any test
 * publishes.
 */
import type { Msg, NatsConnection } from "@nats-io/nats-core";

export async function recordMessages(nc: NatsConnection, subject: string, into: Msg[]): Promise<void> {
  nc.subscribe(subject, {
    callback: (error, msg) => {
      if (error === null) into.push(msg);
    },
  });
  await nc.flush();
}
