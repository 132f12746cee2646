/**
 * The body of Pub/Sub's REST publish, `{"messages": [{data, attributes,
 * orderingKey}]}`, checked as Pub/Sub checks it: at least one message; `data`
 * base64 (standard or URL-safe, as Google's JSON mapping of bytes accepts);
 * `attributes` a map of strings; a message needs data or an attribute. Every
 * fault is a 400 naming the member (`/messages/2/data`); more messages than
 * server.maxBatchEvents is a 413.
 */

import { decodeBase64 } from "../../codec/base64.js";
import type { JsonLimits } from "../../codec/json-limits.js";
import { type FieldFailure, GatewayError, tooManyEvents } from "../../errors/errors.js";
import { FailureList } from "../../errors/failure-list.js";
import { parseJsonBody } from "../parse-json-body.js";

export interface PublishedMessage {
  readonly index: number;
  /** The message's decoded bytes (empty when it has none). */
  readonly data: Uint8Array;
  /** `data` as sent (canonical base64), for the messagePublished envelope. */
  readonly dataBase64: string | undefined;
  readonly attributes: Readonly<Record<string, string>>;
  readonly orderingKey: string | undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Standard base64 of URL-safe or unpadded text, or undefined when it is not base64 at all. */
function canonicalBase64(text: string): string | undefined {
  const standard = text.replace(/-/g, "+").replace(/_/g, "/");
  const padded = standard.length % 4 === 0 ? standard : standard + "=".repeat(4 - (standard.length % 4));
  return decodeBase64(padded) === undefined ? undefined : padded;
}

function refuse(failures: readonly FieldFailure[], omitted = 0): never {
  throw new GatewayError("unmappable-request", "The request is not a valid Pub/Sub publish request", {
    failures,
    failuresOmitted: omitted,
  });
}

function readMessage(value: unknown, index: number, failures: FailureList): PublishedMessage | undefined {
  const at = `/messages/${index}`;
  const fail = (member: string, code: string, detail: string) =>
    failures.add({ index, pointer: `${at}${member}`, code, detail });
  if (!isObject(value)) {
    fail("", "not-an-object", "A message must be a JSON object");
    return undefined;
  }
  let data: Uint8Array = new Uint8Array(0);
  let dataBase64: string | undefined;
  if (value.data !== undefined && value.data !== null) {
    const canonical = typeof value.data === "string" ? canonicalBase64(value.data) : undefined;
    if (canonical === undefined) {
      fail("/data", "invalid-base64", "data must be a base64 string");
      return undefined;
    }
    if (canonical !== "") {
      dataBase64 = canonical;
      data = decodeBase64(canonical) as Uint8Array;
    }
  }
  const attributes: Record<string, string> = Object.create(null);
  if (value.attributes !== undefined && value.attributes !== null) {
    if (!isObject(value.attributes))
      fail("/attributes", "invalid-type", "attributes must be an object of strings");
    else
      for (const [key, attribute] of Object.entries(value.attributes)) {
        if (typeof attribute === "string") attributes[key] = attribute;
        else
          fail(
            `/attributes/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`,
            "invalid-type",
            "an attribute's value must be a string",
          );
      }
  }
  let orderingKey: string | undefined;
  if (value.orderingKey !== undefined && value.orderingKey !== null && value.orderingKey !== "") {
    if (typeof value.orderingKey === "string") orderingKey = value.orderingKey;
    else fail("/orderingKey", "invalid-type", "orderingKey must be a string");
  }
  if (data.length === 0 && Object.keys(attributes).length === 0)
    fail("", "empty-message", "A message needs data or at least one attribute");
  return { index, data, dataBase64, attributes, orderingKey };
}

export function readPublishRequest(
  body: Uint8Array,
  maxMessages: number,
  limits: JsonLimits,
): PublishedMessage[] {
  const parsed = parseJsonBody(body, Number.POSITIVE_INFINITY, limits);
  const value = parsed.list ? undefined : parsed.items[0]?.value;
  if (!isObject(value))
    refuse([{ pointer: "", code: "not-an-object", detail: "The body must be a JSON object with messages" }]);
  const messages = value.messages;
  if (!Array.isArray(messages) || messages.length === 0)
    refuse([
      {
        pointer: "/messages",
        code: "missing-messages",
        detail: "messages must be a list of at least one message",
      },
    ]);
  if (messages.length > maxMessages) throw tooManyEvents(maxMessages);
  const failures = new FailureList();
  const read = messages.map((message, index) => readMessage(message, index, failures));
  if (failures.kept.length > 0) refuse(failures.kept, failures.omitted);
  return read as PublishedMessage[];
}
