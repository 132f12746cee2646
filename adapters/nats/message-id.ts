/**
 * The JetStream message id of an event, which lets the stream drop
 * duplicates of a publish that was retried.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { encodeUtf8 } from "../../src/codec/utf8.js";
import type { CloudEvent } from "../../src/event/cloud-event.js";

/**
 * Hex SHA-256 of `source` + newline + `id`: the JetStream `Nats-Msg-Id` that
 * lets the stream drop duplicates. Synchronous (@noble/hashes, runs anywhere):
 * WebCrypto's digest is asynchronous and, on Node, a thread-pool round trip
 * per event on the publish path.
 */
export function messageIdOf(event: CloudEvent): string {
  return bytesToHex(sha256(encodeUtf8(`${event.attributes.source}\n${event.attributes.id}`)));
}
