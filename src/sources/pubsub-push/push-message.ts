/**
 * The message a Pub/Sub push subscription delivers, in either of its forms:
 *
 * - wrapped (the default, and what Eventarc sends): a JSON body
 *   `{message: {data, attributes, messageId, publishTime, orderingKey},
 *   subscription, deliveryAttempt}`, where `data` is base64 and the ids and
 *   times may also come snake_case (`message_id`, `publish_time`);
 * - unwrapped (`pushConfig.noWrapper` with `writeMetadata`): the body is the
 *   data itself, the message's metadata is in `x-goog-pubsub-*` headers and
 *   each attribute is a header of its own name.
 *
 * A request that is neither is a 400 naming what is missing.
 */
import { decodeBase64 } from "../../codec/base64.js";
import { type FieldFailure, GatewayError } from "../../errors/errors.js";
import { parseJsonBody } from "../parse-json-body.js";
import type { SourceRequest } from "../source.js";

export interface PushMessage {
  readonly form: "wrapped" | "unwrapped";
  /** The message's attributes; unwrapped, only the ones that can be told from HTTP headers (`ce-*`, `content-type`). */
  readonly attributes: Readonly<Record<string, string>>;
  readonly data: Uint8Array;
  readonly messageId: string;
  readonly publishTime: string;
  readonly orderingKey: string | undefined;
  /** `projects/P/subscriptions/S`. */
  readonly subscription: string;
}

/** The headers of an unwrapped push (the emulator writes the ordering key without `pubsub-`). */
export const UNWRAPPED = {
  messageId: "x-goog-pubsub-message-id",
  publishTime: "x-goog-pubsub-publish-time",
  subscription: "x-goog-pubsub-subscription-name",
  orderingKey: ["x-goog-pubsub-ordering-key", "x-goog-ordering-key"],
} as const;

const notAPush = (failures: FieldFailure[]) =>
  new GatewayError("unmappable-request", "The request is not a Pub/Sub push delivery", { failures });

export function readPushMessage(request: SourceRequest): PushMessage {
  return request.headers.get(UNWRAPPED.messageId) !== null
    ? unwrappedMessage(request)
    : wrappedMessage(request);
}

function unwrappedMessage(request: SourceRequest): PushMessage {
  const { headers } = request;
  const failures: FieldFailure[] = [];
  const required = (name: string): string => {
    const value = headers.get(name)?.trim() ?? "";
    if (value === "")
      failures.push({
        header: name,
        code: "missing-header",
        detail: `${name} is required in an unwrapped push (the subscription's noWrapper.writeMetadata)`,
      });
    return value;
  };
  const messageId = required(UNWRAPPED.messageId);
  const publishTime = required(UNWRAPPED.publishTime);
  const subscription = required(UNWRAPPED.subscription);
  if (failures.length > 0) throw notAPush(failures);
  const attributes: Record<string, string> = {};
  headers.forEach((value, name) => {
    const lower = name.toLowerCase();
    if (lower.startsWith("ce-") || lower === "content-type") attributes[lower] = value;
  });
  const orderingKey = UNWRAPPED.orderingKey.map((name) => headers.get(name)).find((v) => v) ?? undefined;
  return {
    form: "unwrapped",
    attributes,
    data: request.body,
    messageId,
    publishTime,
    orderingKey,
    subscription,
  };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function wrappedMessage(request: SourceRequest): PushMessage {
  const body = parseJsonBody(request.body, Number.POSITIVE_INFINITY, request.jsonLimits);
  const envelope = body.list ? undefined : body.items[0]?.value;
  if (!isObject(envelope) || !isObject(envelope.message))
    throw notAPush([
      {
        pointer: isObject(envelope) ? "/message" : "",
        code: "not-a-push-envelope",
        detail:
          "A push body is {message: {...}, subscription}; an unwrapped push needs the subscription's noWrapper.writeMetadata, so its metadata arrives in x-goog-pubsub-* headers",
      },
    ]);
  const message = envelope.message;
  const failures: FieldFailure[] = [];
  const text = (value: unknown, pointer: string, required: boolean): string | undefined => {
    if (typeof value === "string" && value !== "") return value;
    if (value === undefined && !required) return undefined;
    failures.push({
      pointer,
      code: value === undefined ? "missing-member" : "invalid-member",
      detail: `${pointer.slice(1).replace("/", ".")} must be a non-empty string`,
    });
    return undefined;
  };
  // A failure names the camelCase member unless the message uses the snake_case one alone.
  const idAt =
    "message_id" in message && !("messageId" in message) ? "/message/message_id" : "/message/messageId";
  const messageId = text(message.messageId ?? message.message_id, idAt, true);
  const timeAt =
    "publish_time" in message && !("publishTime" in message)
      ? "/message/publish_time"
      : "/message/publishTime";
  const publishTime = text(message.publishTime ?? message.publish_time, timeAt, true);
  const subscription = text(envelope.subscription, "/subscription", true);
  const orderingKey =
    message.orderingKey === "" ? undefined : text(message.orderingKey, "/message/orderingKey", false);
  let data: Uint8Array = new Uint8Array(0);
  if (message.data !== undefined) {
    const decoded = typeof message.data === "string" ? decodeBase64(message.data) : undefined;
    if (decoded === undefined)
      failures.push({
        pointer: "/message/data",
        code: "invalid-base64",
        detail: "message.data must be a base64 string",
      });
    else data = decoded;
  }
  const attributes: Record<string, string> = {};
  if (message.attributes !== undefined && !isObject(message.attributes))
    failures.push({
      pointer: "/message/attributes",
      code: "invalid-member",
      detail: "message.attributes must be an object of strings",
    });
  for (const [name, value] of Object.entries(isObject(message.attributes) ? message.attributes : {})) {
    if (typeof value === "string") attributes[name] = value;
    else
      failures.push({
        pointer: `/message/attributes/${name.replaceAll("~", "~0").replaceAll("/", "~1")}`,
        code: "invalid-member",
        detail: `the attribute "${name}" must be a string`,
      });
  }
  if (failures.length > 0) throw notAPush(failures);
  return {
    form: "wrapped",
    attributes,
    data,
    messageId: messageId as string,
    publishTime: publishTime as string,
    orderingKey,
    subscription: subscription as string,
  };
}
