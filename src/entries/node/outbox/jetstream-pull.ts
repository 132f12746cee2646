/**
 * A pull from a JetStream consumer that barely waits. The client library's
 * `fetch` waits at least a second, too long for a claim that looks at every
 * shard; so the pull request and its acks are made here, with the plain
 * JetStream pull protocol. `no_wait` makes the
 * server answer at once when the consumer has nothing (404); a consumer at
 * its max_ack_pending (a shard whose record is leased) holds the request
 * until `expires` instead (408). The pull listens until that status came:
 * a message the server sends before it is never left with nobody to take it.
 */
import { createInbox, type Msg, type MsgHdrs, type NatsConnection } from "@nats-io/transport-node";

/** A message leased from a consumer: acked, naked or kept alive through its reply subject. */
export interface Leased {
  readonly streamSeq: number;
  /** 1 on the first delivery; JetStream counts every redelivery, whoever took it. */
  readonly deliveryCount: number;
  readonly headers: MsgHdrs | undefined;
  readonly data: Uint8Array;
  readonly reply: string;
}

/** Beyond the pull's own expiry: how long its end status may take to come before the pull is given up. */
const STATUS_GRACE_MS = 2_000;
const ACK_TIMEOUT_MS = 5_000;
const encoder = new TextEncoder();

/**
 * Reads the delivery count and stream sequence from the reply subject:
 * `$JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<dseq>.<ts>.<pending>`, or
 * with `<domain>.<account hash>` before the stream and a token after pending.
 */
function deliveryOf(reply: string): { deliveryCount: number; streamSeq: number } {
  const tokens = reply.split(".");
  const at = tokens.length === 9 ? 4 : 6;
  const deliveryCount = Number(tokens[at]);
  const streamSeq = Number(tokens[at + 1]);
  if (!Number.isSafeInteger(deliveryCount) || !Number.isSafeInteger(streamSeq)) {
    throw new Error(`Not a JetStream ack subject: ${reply}`);
  }
  return { deliveryCount, streamSeq };
}

export async function pullNow(
  nc: NatsConnection,
  stream: string,
  consumer: string,
  batch: number,
  expiresMs: number,
): Promise<Leased[]> {
  const inbox = createInbox();
  const leased: Leased[] = [];
  const sub = nc.subscribe(inbox, { timeout: expiresMs + STATUS_GRACE_MS });
  const request = { batch, no_wait: true, expires: expiresMs * 1_000_000 };
  nc.publish(`$JS.API.CONSUMER.MSG.NEXT.${stream}.${consumer}`, JSON.stringify(request), { reply: inbox });
  try {
    for await (const msg of sub) {
      // A status (no messages, request expired, ...) ends the pull.
      if (isStatus(msg)) break;
      leased.push({
        ...deliveryOf(msg.reply ?? ""),
        headers: msg.headers,
        data: msg.data,
        reply: msg.reply ?? "",
      });
      // The whole batch came: the server sends nothing more for this request.
      if (leased.length >= batch) break;
    }
  } catch {
    // No status in time (a slow or restarting server): what came stands; a message still on its way
    // would go to nobody, and moves on once its ack wait ran out.
  } finally {
    sub.unsubscribe();
  }
  return leased;
}

const isStatus = (msg: Msg) => msg.data.length === 0 && msg.headers !== undefined && msg.headers.code > 0;

/** Acks and waits for the server to confirm: once it resolves, the message is gone for good. */
export async function ackDurably(nc: NatsConnection, message: Leased): Promise<void> {
  await nc.request(message.reply, encoder.encode("+ACK"), { timeout: ACK_TIMEOUT_MS });
}

/** Gives the message back, to be delivered again (to any instance) after `delayMs`. */
export function nak(nc: NatsConnection, message: Leased, delayMs: number): void {
  const body = delayMs > 0 ? `-NAK ${JSON.stringify({ delay: Math.round(delayMs) * 1_000_000 })}` : "-NAK";
  nc.publish(message.reply, encoder.encode(body));
}

/** Resets the message's ack wait: the lease is still being worked on. */
export function keepAlive(nc: NatsConnection, message: Leased): void {
  nc.publish(message.reply, encoder.encode("+WPI"));
}
