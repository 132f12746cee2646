/**
 * What a JetStream publish came to: the stream's reply (a PubAck, an API
 * error, or the server's 503 when nothing answers the subject), or an error
 * met while waiting for it. JetStream API errors carry an HTTP-like code:
 * 4xx means the stream refused the message for good, except 408 and 429.
 */
import type { Msg } from "@nats-io/nats-core";
import { acked, type PublishOutcome, retriable, terminal } from "../../src/adapter/adapter.js";
import { describeError } from "../../src/errors/errors.js";

/** The server's API error code for "JetStream not enabled for account": nothing will store it yet. */
const JETSTREAM_NOT_ENABLED_FOR_ACCOUNT = 10039;

interface ApiError {
  readonly code: number;
  readonly err_code?: number;
  readonly description: string;
}

interface PubAckReply {
  readonly stream?: string;
  readonly seq?: number;
  readonly duplicate?: boolean;
  readonly error?: ApiError;
}

const noStream = (subject: string) =>
  retriable(`No JetStream stream answered for subject ${subject} (is a stream capturing it?)`);

export const refusedPublish = (subject: string, reason: string) =>
  terminal(`NATS refused the publish to ${subject}: ${reason}`, 403);

function apiErrorOutcome(api: ApiError): PublishOutcome | undefined {
  if (api.code < 500 && api.code !== 408 && api.code !== 429) {
    return terminal(
      `JetStream refused the message: ${api.description} (${api.err_code ?? api.code})`,
      api.code,
    );
  }
  return undefined;
}

/** An error met while publishing or waiting for the acknowledgement. */
export function classifyJetStreamError(error: unknown, subject: string): PublishOutcome {
  const name = (error as { name?: string }).name;
  if (name === "PermissionViolationError" || /permissions violation/i.test(describeError(error))) {
    return refusedPublish(subject, describeError(error));
  }
  if (name === "JetStreamNotEnabled" || name === "NoRespondersError") return noStream(subject);
  const api = (error as { apiError?: () => ApiError }).apiError?.();
  const refused = api === undefined ? undefined : apiErrorOutcome(api);
  return refused ?? retriable(`JetStream did not acknowledge: ${describeError(error)}`);
}

const utf8 = new TextDecoder();

/** The stream's reply to a publish. */
export function outcomeOfReply(reply: Msg, subject: string): PublishOutcome {
  // No responders: the server's status message, empty, with code 503.
  if (reply.data.length === 0 && reply.headers?.code === 503) return noStream(subject);
  let ack: PubAckReply;
  try {
    ack = JSON.parse(utf8.decode(reply.data)) as PubAckReply;
  } catch (error) {
    return retriable(`JetStream did not acknowledge: ${describeError(error)}`);
  }
  if (ack.error !== undefined) {
    if (ack.error.err_code === JETSTREAM_NOT_ENABLED_FOR_ACCOUNT) return noStream(subject);
    return apiErrorOutcome(ack.error) ?? retriable(`JetStream did not acknowledge: ${ack.error.description}`);
  }
  if (typeof ack.stream !== "string" || ack.stream === "") {
    return retriable("JetStream did not acknowledge: invalid ack response");
  }
  return acked({
    id: `${ack.stream}:${ack.seq}`,
    stream: ack.stream,
    sequence: ack.seq,
    duplicate: ack.duplicate ?? false,
  });
}
