/**
 * A pushed message as a raw event. Per Google's Pub/Sub protocol binding for
 * CloudEvents, a message whose `content-type` attribute is the JSON event
 * format is that event (structured mode), and one with `ce-*` attributes is
 * that event in binary mode (the data is the message's data). Any other
 * message becomes the event Eventarc makes of it:
 * `google.cloud.pubsub.topic.v1.messagePublished`, whose data is
 * `{message, subscription}` with the data still base64.
 */
import { contentModeOf, decodeHttpRequest } from "../../bindings/http/decode.js";
import { pointerToken } from "../../bindings/json-event.js";
import { encodeBase64 } from "../../codec/base64.js";
import type { JsonLimits } from "../../codec/json-limits.js";
import { GatewayError } from "../../errors/errors.js";
import type { RawAttribute, RawEvent } from "../../event/raw-event.js";
import type { PushMessage } from "./push-message.js";

export const MESSAGE_PUBLISHED = "google.cloud.pubsub.topic.v1.messagePublished";

/** The binding accepts the content type under any of these names; the first present counts. */
const CONTENT_TYPE_NAMES = ["content-type", "Content-Type", "ce-datacontenttype"];

const contentTypeOf = (attributes: Readonly<Record<string, string>>): string | undefined =>
  CONTENT_TYPE_NAMES.map((name) => attributes[name]).find((value) => value !== undefined);

/** Where an attribute came from: a member of the envelope, or (unwrapped) a header. */
function origin(message: PushMessage, name: string): Pick<RawAttribute, "pointer" | "header"> {
  return message.form === "wrapped"
    ? { pointer: `/message/attributes/${pointerToken(name)}` }
    : { pointer: `/${name.slice(3)}`, header: name };
}

/** Where the message's content type came from. */
function contentTypeOrigin(message: PushMessage): Pick<RawAttribute, "pointer" | "header"> {
  const name = CONTENT_TYPE_NAMES.find((n) => message.attributes[n] !== undefined) ?? "content-type";
  return message.form === "wrapped"
    ? { pointer: `/message/attributes/${name}` }
    : { pointer: "/datacontenttype", header: name };
}

export function isCloudEventMessage(message: PushMessage): boolean {
  if (contentTypeOf(message.attributes)?.trimStart().toLowerCase().startsWith("application/cloudevents"))
    return true;
  return Object.keys(message.attributes).some((name) => name.startsWith("ce-"));
}

/** The CloudEvent a message carries (see isCloudEventMessage). */
export function cloudEventOfMessage(message: PushMessage, jsonLimits: JsonLimits): RawEvent {
  const contentType = contentTypeOf(message.attributes);
  if (contentType?.trimStart().toLowerCase().startsWith("application/cloudevents")) {
    if (contentModeOf(contentType) === "batch")
      throw new GatewayError("unmappable-request", "The message is not a CloudEvent", {
        failures: [
          {
            ...contentTypeOrigin(message),
            code: "batch-in-message",
            detail: "The Pub/Sub binding carries one event per message; it has no batched mode",
          },
        ],
      });
    const decoded = decodeHttpRequest(new Headers({ "content-type": contentType }), message.data, {
      json: jsonLimits,
      maxBatchEvents: 1,
    });
    return [...decoded.events][0] as RawEvent;
  }
  const attributes: RawAttribute[] = Object.entries(message.attributes)
    .filter(([name]) => name.startsWith("ce-") && name !== "ce-datacontenttype")
    .map(([name, value]) => ({
      name: name.slice(3),
      value: { kind: "string", value },
      ...origin(message, name),
    }));
  if (contentType !== undefined)
    attributes.push({
      name: "datacontenttype",
      value: { kind: "string", value: contentType },
      ...contentTypeOrigin(message),
    });
  return {
    index: 0,
    pointerPrefix: "",
    attributes,
    data: message.data.length === 0 ? undefined : { from: "body", bytes: message.data },
    encoded: undefined,
    failures: [],
  };
}

/** The messagePublished event of a message that is not a CloudEvent; `topic` is `projects/P/topics/T`. */
export function messagePublishedEvent(message: PushMessage, topic: string): RawEvent {
  const string = (name: string, value: string, pointer: string): RawAttribute => ({
    name,
    value: { kind: "string", value },
    pointer,
  });
  const unwrapped = message.form === "unwrapped";
  const published = {
    ...(Object.keys(message.attributes).length > 0 && !unwrapped ? { attributes: message.attributes } : {}),
    ...(message.data.length > 0 ? { data: encodeBase64(message.data) } : {}),
    messageId: message.messageId,
    publishTime: message.publishTime,
    ...(message.orderingKey === undefined ? {} : { orderingKey: message.orderingKey }),
  };
  const data = JSON.stringify({ message: published, subscription: message.subscription });
  return {
    index: 0,
    pointerPrefix: "",
    attributes: [
      string("specversion", "1.0", "/specversion"),
      string("id", message.messageId, unwrapped ? "/id" : "/message/messageId"),
      string("source", `//pubsub.googleapis.com/${topic}`, "/source"),
      string("type", MESSAGE_PUBLISHED, "/type"),
      string("time", message.publishTime, unwrapped ? "/time" : "/message/publishTime"),
      string("datacontenttype", "application/json", "/datacontenttype"),
    ],
    data: { from: "body", bytes: new TextEncoder().encode(data) },
    encoded: undefined,
    failures: [],
  };
}
