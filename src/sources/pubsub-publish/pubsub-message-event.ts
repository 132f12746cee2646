/**
 * One published Pub/Sub message -> one raw CloudEvent.
 *
 * - A message that is a CloudEvent by Google's Pub/Sub binding is that event:
 *   structured when its `content-type` attribute starts with
 *   `application/cloudevents` (the data is the event in the JSON format),
 *   else binary when it has `ce-` attributes (`ce-type` -> `type`; the
 *   `content-type`, `Content-Type` or `ce-datacontenttype` attribute ->
 *   `datacontenttype`; the data, byte for byte). Other attributes are not
 *   part of the event, as the binding says.
 * - Any other message becomes the event Eventarc makes of it:
 *   `google.cloud.pubsub.topic.v1.messagePublished` from
 *   `//pubsub.googleapis.com/projects/P/topics/T`, id the message id the
 *   gateway assigns, time the publish time, and data
 *   `{"message": {attributes, data, messageId, publishTime, orderingKey}}`.
 *
 * A message's ordering key becomes the `partitionkey` extension unless the
 * event has one (the partitioning extension's counterpart of ordering keys).
 */
import { scanJsonBody } from "../../bindings/http/decode.js";
import { rawEventFromJson } from "../../bindings/json-event.js";
import type { JsonLimits } from "../../codec/json-limits.js";
import { scanJsonObjectDocument } from "../../codec/json-scan.js";
import type { RawAttribute, RawEvent } from "../../event/raw-event.js";
import type { PublishedMessage } from "./pubsub-messages.js";

export const MESSAGE_PUBLISHED = "google.cloud.pubsub.topic.v1.messagePublished";

export interface PublishContext {
  readonly project: string;
  readonly topic: string;
  /** When the request arrived, RFC 3339: every message's publishTime. */
  readonly publishTime: string;
  readonly jsonLimits: JsonLimits;
  /** A new message id (Pub/Sub's are decimal strings). */
  newMessageId(): string;
}

const encoder = new TextEncoder();

const stringAttribute = (name: string, value: string, pointer: string): RawAttribute => ({
  name,
  value: { kind: "string", value },
  pointer,
});

function contentTypeOf(attributes: Readonly<Record<string, string>>): string | undefined {
  return attributes["content-type"] ?? attributes["Content-Type"] ?? attributes["ce-datacontenttype"];
}

function withPartitionKey(event: RawEvent, message: PublishedMessage, at: string): RawEvent {
  if (message.orderingKey === undefined || event.attributes.some((a) => a.name === "partitionkey"))
    return event;
  const key = stringAttribute("partitionkey", message.orderingKey, `${at}/orderingKey`);
  // Without its received encoding: that no longer holds every attribute, and would be what is sent.
  return { ...event, attributes: [...event.attributes, key], encoded: undefined };
}

function structuredEvent(message: PublishedMessage, at: string, limits: JsonLimits): RawEvent {
  const bytes = message.data;
  const scanned = scanJsonBody(bytes, () => scanJsonObjectDocument(bytes, limits));
  return rawEventFromJson(bytes, scanned, message.index, `${at}/data`);
}

function binaryEvent(message: PublishedMessage, at: string): RawEvent {
  const attributes: RawAttribute[] = [];
  for (const [key, value] of Object.entries(message.attributes)) {
    if (!key.startsWith("ce-") || key === "ce-datacontenttype") continue;
    attributes.push(stringAttribute(key.slice(3), value, `${at}/attributes/${key}`));
  }
  const contentType = contentTypeOf(message.attributes);
  if (contentType !== undefined)
    attributes.push(stringAttribute("datacontenttype", contentType, `${at}/attributes/content-type`));
  return {
    index: message.index,
    pointerPrefix: at,
    attributes,
    data: message.data.length === 0 ? undefined : { from: "body", bytes: message.data },
    encoded: undefined,
    failures: [],
  };
}

function messagePublishedEvent(message: PublishedMessage, at: string, context: PublishContext): RawEvent {
  const messageId = context.newMessageId();
  const attributes = Object.keys(message.attributes).length > 0 ? message.attributes : undefined;
  const envelope = {
    message: {
      ...(attributes !== undefined && { attributes }),
      ...(message.dataBase64 !== undefined && { data: message.dataBase64 }),
      messageId,
      publishTime: context.publishTime,
      ...(message.orderingKey !== undefined && { orderingKey: message.orderingKey }),
    },
  };
  const bytes = encoder.encode(JSON.stringify(envelope));
  return {
    index: message.index,
    pointerPrefix: at,
    attributes: [
      stringAttribute("specversion", "1.0", `${at}/specversion`),
      stringAttribute("id", messageId, `${at}/messageId`),
      stringAttribute("type", MESSAGE_PUBLISHED, `${at}/type`),
      stringAttribute(
        "source",
        `//pubsub.googleapis.com/projects/${context.project}/topics/${context.topic}`,
        `${at}/source`,
      ),
      stringAttribute("time", context.publishTime, `${at}/publishTime`),
      stringAttribute("datacontenttype", "application/json", `${at}/data`),
    ],
    data: { from: "json-member", bytes, isJsonString: false },
    encoded: undefined,
    failures: [],
  };
}

/** Whether the message is a CloudEvent by the Pub/Sub binding. */
export function isCloudEventMessage(message: PublishedMessage): boolean {
  if (contentTypeOf(message.attributes)?.toLowerCase().startsWith("application/cloudevents")) return true;
  return Object.keys(message.attributes).some((key) => key.startsWith("ce-"));
}

export function messageEvent(message: PublishedMessage, context: PublishContext): RawEvent {
  const at = `/messages/${message.index}`;
  if (!isCloudEventMessage(message))
    return withPartitionKey(messagePublishedEvent(message, at, context), message, at);
  const structured =
    contentTypeOf(message.attributes)?.toLowerCase().startsWith("application/cloudevents") === true;
  const event = structured ? structuredEvent(message, at, context.jsonLimits) : binaryEvent(message, at);
  return withPartitionKey(event, message, at);
}
