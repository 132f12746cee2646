/**
 * Pub/Sub over its REST API with fetch: `POST /v1/projects/{p}/topics/{t}:publish`
 * with base64 data. One request per call carries every message (the API
 * accepts or refuses the request as a whole). A request carrying an ordering
 * key waits until the key's previous request on the topic has finished:
 * concurrent requests may reach the service in any order.
 */

import { acked, type PublishOutcome, retriable, terminal } from "../../src/adapter/adapter.js";
import { encodeBase64 } from "../../src/codec/base64.js";
import { describeError } from "../../src/errors/errors.js";
import { TokenError } from "./access-token.js";
import { classifyStatus, type Publisher, type PubsubMessage } from "./publisher.js";

export interface RestPublisherOptions {
  readonly projectId: string;
  /** Base URL, e.g. https://pubsub.googleapis.com or http://127.0.0.1:8085 for an emulator. */
  readonly baseUrl: string;
  /** A bearer token per request, asked for within the attempt; absent for an emulator. */
  readonly token?: (signal: AbortSignal) => Promise<string>;
  readonly fetch: typeof fetch;
}

/** Resolves when `previous` settles, or when the signal aborts (false then). */
function settledOrAborted(previous: Promise<unknown>, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => resolve(false);
    signal.addEventListener("abort", onAbort, { once: true });
    previous.then(
      () => {
        signal.removeEventListener("abort", onAbort);
        resolve(true);
      },
      () => {},
    );
  });
}

export function restPublisher(options: RestPublisherOptions): Publisher {
  /** The last request per topic and ordering key; a later one on the key starts after it. */
  const lastOnKey = new Map<string, Promise<unknown>>();

  async function publishInKeyOrder(
    topic: string,
    messages: readonly PubsubMessage[],
    signal: AbortSignal,
  ): Promise<PublishOutcome[]> {
    const keys = [
      ...new Set(messages.flatMap((m) => (m.orderingKey ? [`${topic}\u0000${m.orderingKey}`] : []))),
    ];
    const before = keys.flatMap((k) => lastOnKey.get(k) ?? []);
    const request = (async () => {
      // After a failure the key goes on (a settled request, whatever its outcome, lets the next one start).
      if (!(await settledOrAborted(Promise.allSettled(before), signal)))
        return messages.map(() =>
          retriable("The attempt was aborted while an earlier event on its ordering key was in flight"),
        );
      return send(topic, messages, signal);
    })();
    for (const k of keys) lastOnKey.set(k, request);
    try {
      return await request;
    } finally {
      for (const k of keys) if (lastOnKey.get(k) === request) lastOnKey.delete(k);
    }
  }

  async function send(
    topic: string,
    messages: readonly PubsubMessage[],
    signal: AbortSignal,
  ): Promise<PublishOutcome[]> {
    const url = `${options.baseUrl}/v1/projects/${encodeURIComponent(options.projectId)}/topics/${encodeURIComponent(topic)}:publish`;
    const body = JSON.stringify({
      messages: messages.map((m: PubsubMessage) => ({
        data: encodeBase64(m.data),
        attributes: m.attributes,
        ...(m.orderingKey ? { orderingKey: m.orderingKey } : {}),
      })),
    });
    try {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (options.token) headers.authorization = `Bearer ${await options.token(signal)}`;
      const response = await options.fetch(url, {
        method: "POST",
        headers,
        body,
        signal,
      });
      if (response.ok) {
        const { messageIds } = (await response.json()) as { messageIds: string[] };
        return messages.map((_, i) => acked({ id: messageIds[i] }));
      }
      const error = (
        (await response.json().catch(() => ({}))) as { error?: { status?: string; message?: string } }
      ).error;
      const status = error?.status ?? (response.status >= 500 ? "UNAVAILABLE" : "INVALID_ARGUMENT");
      const outcome = classifyStatus(status, error?.message ?? `HTTP ${response.status}`, response.status);
      return messages.map(() => outcome);
    } catch (error) {
      const refused = error instanceof TokenError && error.status >= 400 && error.status < 500;
      const outcome = refused
        ? terminal(`Pub/Sub credentials were refused: ${describeError(error)}`, 401)
        : retriable(`Pub/Sub did not answer: ${describeError(error)}`);
      return messages.map(() => outcome);
    }
  }

  return {
    publish: publishInKeyOrder,
    async close() {},
  };
}
