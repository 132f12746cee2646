/**
 * The `http` target: CloudEvents to any endpoint. 2xx is acked; 429 and 503
 * are retriable after their Retry-After; other 5xx, 408, timeouts and network
 * errors are retriable; redirects and other 4xx are terminal (the receiver
 * refused the event). Uses the runtime's fetch, so it runs on Workers too.
 */
import {
  type Adapter,
  type AdapterFactory,
  type AdapterRuntime,
  acked,
  type OutboundMessage,
  type PublishOutcome,
  retriable,
  terminal,
} from "../../src/adapter/adapter.js";
import { retryAfterMs } from "../../src/adapter/retry-after.js";
import { serverAddressOf } from "../../src/adapter/server-address.js";
import {
  batchRequest,
  binaryRequest,
  type HttpMessage,
  structuredRequest,
} from "../../src/bindings/http/encode.js";
import type { HeaderEncoding } from "../../src/codec/header-value.js";
import { describeError } from "../../src/errors/errors.js";
import { httpDescriptor } from "./descriptor.js";

export interface HttpOptions {
  /** Template; the router expands it into each message's address. */
  readonly url: string;
  readonly mode?: "binary" | "structured" | "batch";
  readonly headers?: Readonly<Record<string, string>>;
  /** How long one attempt may take; the delivery layer applies it (see the descriptor). */
  readonly timeoutMs?: number;
  /** How binary mode writes `ce-*` values: percent-encoded (the binding), or raw for receivers on sdk-go. */
  readonly headerEncoding?: HeaderEncoding;
}

async function classify(response: Response): Promise<PublishOutcome> {
  if (response.status >= 200 && response.status < 300) {
    // The body is not needed; dropping it lets the connection be reused.
    await response.body?.cancel().catch(() => {});
    return acked({ status: response.status });
  }
  const text = (await response.text().catch(() => "")).slice(0, 500);
  const reason = `HTTP ${response.status}${text === "" ? "" : `: ${text}`}`;
  if (response.status === 429 || response.status === 503) {
    return retriable(reason, retryAfterMs(response.headers.get("retry-after"), Date.now()));
  }
  if (response.status >= 500 || response.status === 408) return retriable(reason);
  if (response.status >= 300 && response.status < 400)
    return terminal(`${reason} (redirects are not followed)`, response.status);
  return terminal(reason, response.status);
}

export function createHttpAdapter(options: HttpOptions, runtime: AdapterRuntime): Adapter {
  const mode = options.mode ?? "binary";
  const headerEncoding = options.headerEncoding ?? "percent";

  async function send(
    url: string,
    message: HttpMessage,
    signal: AbortSignal,
    traceHeaders: Readonly<Record<string, string>> | undefined,
  ): Promise<PublishOutcome> {
    try {
      // Configured headers first, then this hop's trace context (`traceparent`); the event's own
      // (content-type, ce-*: its extension is `ce-traceparent`) replace any of the same name.
      const headers = new Headers(options.headers);
      if (traceHeaders !== undefined)
        for (const [name, value] of Object.entries(traceHeaders)) headers.set(name, value);
      for (const [name, value] of Object.entries(message.headers)) headers.set(name, value);
      const response = await runtime.fetch(url, {
        method: "POST",
        headers,
        body: message.body as Uint8Array<ArrayBuffer>,
        redirect: "manual",
        signal,
      });
      return await classify(response);
    } catch (error) {
      // Aborted: the attempt's reason (the target's timeout, the deadline, the client gone) says why.
      return retriable(`${url}: ${describeError(signal.aborted ? signal.reason : error)}`);
    }
  }

  const urlOf = (message: OutboundMessage) => message.address ?? options.url;

  return {
    type: "http",
    // A URL's path or query may hold a secret: spans name the target, and the host alone.
    telemetry: { system: "http", addressIsDestination: false, ...serverAddressOf(options.url, "https") },
    capabilities: {
      batching: mode === "batch",
      orderingKeys: false,
      brokerDedup: false,
      modes: mode === "binary" ? ["binary"] : ["structured"],
      runsOnWorkers: true,
      maxEventBytes: Number.POSITIVE_INFINITY,
    },
    async publish(messages, { signal, traceHeaders }) {
      if (mode === "binary") {
        return Promise.all(
          messages.map((m) => {
            const encoded = binaryRequest(m.event, headerEncoding);
            if (!encoded.ok) return terminal(encoded.reason);
            return send(urlOf(m), encoded.message, signal, traceHeaders);
          }),
        );
      }
      if (mode === "structured")
        return Promise.all(
          messages.map((m) => send(urlOf(m), structuredRequest(m.event), signal, traceHeaders)),
        );
      // One batch per destination URL; every event of a batch shares its outcome.
      const byUrl = new Map<string, number[]>();
      messages.forEach((m, i) => {
        byUrl.set(urlOf(m), [...(byUrl.get(urlOf(m)) ?? []), i]);
      });
      const outcomes: PublishOutcome[] = new Array(messages.length);
      await Promise.all(
        [...byUrl].map(async ([url, indexes]) => {
          const outcome = await send(
            url,
            batchRequest(indexes.map((i) => (messages[i] as OutboundMessage).event)),
            signal,
            traceHeaders,
          );
          for (const i of indexes) outcomes[i] = outcome;
        }),
      );
      return outcomes;
    },
    async ready() {
      return true;
    },
    async close() {},
  };
}

export const httpTarget: AdapterFactory<HttpOptions> = {
  ...httpDescriptor,
  create: (options, runtime) => createHttpAdapter(options, runtime),
};
