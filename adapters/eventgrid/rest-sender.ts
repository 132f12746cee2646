/**
 * The documented REST request, sent with fetch: the events exactly as the
 * gateway holds them, joined into a JSON array. Topics and domains:
 * `POST {endpoint}?api-version=2018-01-01`; namespaces:
 * `POST {endpoint}/topics/{topic}:publish?api-version=2024-06-01`.
 */
import { acked, type PublishOutcome, retriable, terminal } from "../../src/adapter/adapter.js";
import { retryAfterMs } from "../../src/adapter/retry-after.js";
import { describeError } from "../../src/errors/errors.js";
import { joinJsonArray } from "../../src/event/json-format.js";
import { authHeaders, type EventGridAuth, endpointOf, signInFailure } from "./auth.js";
import type { EventGridOptions } from "./options.js";

export const BATCH_CONTENT_TYPE = "application/cloudevents-batch+json; charset=utf-8";

/**
 * Sends one batch (events already encoded in the JSON format) and says what
 * became of it; the attempt's signal bounds the credential and the request together.
 */
export interface BatchSender {
  /** `traceHeaders`: the hop's trace context (`traceparent`), sent as HTTP headers of the request. */
  send(
    events: readonly Uint8Array[],
    signal: AbortSignal,
    traceHeaders?: Readonly<Record<string, string>>,
  ): Promise<PublishOutcome>;
}

export function publishUrl(options: EventGridOptions): string {
  const base = endpointOf(options);
  return options.namespaceTopic === undefined
    ? `${base}?api-version=2018-01-01`
    : `${base}/topics/${encodeURIComponent(options.namespaceTopic)}:publish?api-version=2024-06-01`;
}

/**
 * 400, 401, 403 and 413 are final (Event Grid itself does not retry them);
 * 408, 429 and 5xx are not. The service's `{"error": {...}}` is kept in the reason.
 */
export function classifyFailure(
  status: number,
  retryAfter: string | null | undefined,
  body: string,
  size: number,
): PublishOutcome {
  let detail = body.slice(0, 500);
  try {
    const error = (JSON.parse(body) as { error?: unknown }).error;
    if (error !== undefined) detail = JSON.stringify(error).slice(0, 500);
  } catch {
    // not JSON: keep the text
  }
  const reason = `Event Grid answered ${status} for a ${size}-byte request: ${detail}`;
  if (status === 429 || status === 408 || status >= 500) {
    return retriable(reason, retryAfterMs(retryAfter ?? null, Date.now()));
  }
  return terminal(reason, status);
}

export interface RestSenderOptions {
  readonly url: string;
  readonly namespace: boolean;
  readonly auth: EventGridAuth;
  readonly fetch: typeof fetch;
}

export function restSender(options: RestSenderOptions): BatchSender {
  return {
    async send(events, signal, traceHeaders) {
      const body = joinJsonArray(events);
      try {
        const response = await options.fetch(options.url, {
          method: "POST",
          headers: {
            ...traceHeaders,
            "content-type": BATCH_CONTENT_TYPE,
            ...(await authHeaders(options.auth, options.namespace, signal)),
          },
          body,
          signal,
        });
        if (response.ok) {
          await response.body?.cancel().catch(() => {});
          return acked({ status: response.status, via: "rest" });
        }
        const text = await response.text().catch(() => "");
        return classifyFailure(response.status, response.headers.get("retry-after"), text, body.length);
      } catch (error) {
        return signInFailure(error) ?? retriable(`Event Grid did not answer: ${describeError(error)}`);
      }
    },
  };
}
