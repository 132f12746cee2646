/**
 * The few JetStream API requests reading dead letters back takes (stream
 * info, the stream that holds a subject, getting and deleting a message),
 * made as plain requests on the connection: like ./jetstream-publisher.ts,
 * this leaves `@nats-io/jetstream` out of the adapter and out of the Worker
 * bundle (it would add 94 KB minified, 26 KB gzip). Nothing here needs more
 * than nats-server 2.9.
 */
import type { NatsConnection } from "@nats-io/nats-core";
import { decodeBase64 } from "../../src/codec/base64.js";
import { encodeUtf8 } from "../../src/codec/utf8.js";

const API = "$JS.API";
/** The API's error code for a sequence that holds no message (none left, or none matching). */
export const NO_MESSAGE_FOUND = 10037;

export class JetStreamApiError extends Error {
  constructor(
    readonly subject: string,
    readonly code: number,
    readonly errCode: number,
    description: string,
  ) {
    super(`JetStream refused ${subject}: ${description} (${code}, ${errCode})`);
    this.name = "JetStreamApiError";
  }
}

export interface StreamState {
  readonly messages: number;
  readonly first_seq: number;
  readonly last_seq: number;
}

/** A stored message as the API returns it: headers and data decoded, headers as nats.js gives them. */
export interface StoredMessage {
  readonly subject: string;
  readonly seq: number;
  readonly headers: [string, string[]][];
  readonly data: Uint8Array;
}

interface ApiReply {
  readonly error?: { readonly code?: number; readonly err_code?: number; readonly description?: string };
}

/** Reads a header block (`NATS/1.0\r\nname: value\r\n…`) as nats.js does: names as written, values trimmed. */
export function parseHeaderBlock(block: Uint8Array): [string, string[]][] {
  const byName = new Map<string, string[]>();
  for (const line of new TextDecoder().decode(block).split("\r\n").slice(1)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon);
    const values = byName.get(name) ?? [];
    values.push(line.slice(colon + 1).trim());
    byName.set(name, values);
  }
  return [...byName];
}

const base64Bytes = (text: string | undefined, what: string): Uint8Array => {
  if (text === undefined || text === "") return new Uint8Array(0);
  const bytes = decodeBase64(text);
  if (bytes === undefined) throw new Error(`JetStream returned ${what} that is not base64`);
  return bytes;
};

export class JetStreamApi {
  readonly #nc: NatsConnection;
  readonly #timeoutMs: number;

  constructor(nc: NatsConnection, timeoutMs: number) {
    this.#nc = nc;
    this.#timeoutMs = timeoutMs;
  }

  async #request<T extends ApiReply>(subject: string, body: unknown): Promise<T> {
    const payload = body === undefined ? undefined : encodeUtf8(JSON.stringify(body));
    const reply = await this.#nc.request(subject, payload, { timeout: this.#timeoutMs });
    const parsed = JSON.parse(new TextDecoder().decode(reply.data)) as T;
    const error = parsed.error;
    if (error !== undefined)
      throw new JetStreamApiError(
        subject,
        error.code ?? 0,
        error.err_code ?? 0,
        error.description ?? "an error",
      );
    return parsed;
  }

  async streamState(stream: string): Promise<StreamState> {
    const info = await this.#request<ApiReply & { state: StreamState }>(
      `${API}.STREAM.INFO.${stream}`,
      undefined,
    );
    return info.state;
  }

  /** The stream whose subjects hold `subject` (a wildcard too); throws when none or several do. */
  async streamFor(subject: string): Promise<string> {
    const names = await this.#request<ApiReply & { streams: string[] | null }>(`${API}.STREAM.NAMES`, {
      subject,
    });
    const streams = names.streams ?? [];
    if (streams.length !== 1) {
      const found = streams.length === 0 ? "none does" : `${streams.join(", ")} do`;
      throw new Error(
        `No single JetStream stream holds ${subject} (${found}): name one in the target's jetstream.stream`,
      );
    }
    return streams[0] as string;
  }

  /** The first message at or after `seq` on a subject matching `subject`; undefined when there is none. */
  nextMessage(stream: string, seq: number, subject: string): Promise<StoredMessage | undefined> {
    return this.#getMessage(stream, { seq, next_by_subj: subject });
  }

  /** The message at `seq`; undefined when there is none (deleted, aged out, never written). */
  message(stream: string, seq: number): Promise<StoredMessage | undefined> {
    return this.#getMessage(stream, { seq });
  }

  async #getMessage(stream: string, query: object): Promise<StoredMessage | undefined> {
    try {
      const { message } = await this.#request<
        ApiReply & { message: { subject: string; seq: number; hdrs?: string; data?: string } }
      >(`${API}.STREAM.MSG.GET.${stream}`, query);
      return {
        subject: message.subject,
        seq: message.seq,
        headers: parseHeaderBlock(base64Bytes(message.hdrs, "headers")),
        data: base64Bytes(message.data, "data"),
      };
    } catch (error) {
      if (error instanceof JetStreamApiError && error.errCode === NO_MESSAGE_FOUND) return undefined;
      throw error;
    }
  }

  /** Deletes one message (without overwriting it on disk); throws when the stream refuses, a message already gone included. */
  async deleteMessage(stream: string, seq: number): Promise<void> {
    await this.#request(`${API}.STREAM.MSG.DELETE.${stream}`, { seq, no_erase: true });
  }
}
