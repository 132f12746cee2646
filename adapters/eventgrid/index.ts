/**
 * The `eventgrid` target: Azure Event Grid topics and domains
 * (`POST {endpoint}?api-version=2018-01-01`) and namespaces
 * (`POST {endpoint}/topics/{t}:publish?api-version=2024-06-01`), as CloudEvents
 * batches in the JSON format. The REST request is sent directly because the
 * `@azure/eventgrid` SDK rewrites events (array data becomes an object,
 * string or number data is refused, missing id/time/datacontenttype are
 * invented); here the events go out as the bytes the gateway holds.
 */
import {
  type Adapter,
  type AdapterFactory,
  type AdapterRuntime,
  acked,
  type PublishOutcome,
  retriable,
  terminal,
} from "../../src/adapter/adapter.js";
import { perEvent } from "../../src/adapter/per-event.js";
import { describeError } from "../../src/errors/errors.js";
import { toJsonFormat } from "../../src/event/json-format.js";
import { retryAfterMs } from "../http/http-message.js";
import { LIMITS, packBatches } from "./batches.js";
import { eventGridDescriptor } from "./descriptor.js";
import { entraTokens } from "./entra-token.js";

export interface EventGridOptions {
  readonly endpoint: string;
  readonly namespaceTopic?: string;
  readonly key?: string;
  readonly sasToken?: string;
  readonly entra?: {
    readonly tenantId: string;
    readonly clientId: string;
    readonly clientSecret: string;
    readonly authorityHost?: string;
  };
  readonly allowInsecure?: boolean;
  readonly timeoutMs?: number;
}

const BATCH_CONTENT_TYPE = "application/cloudevents-batch+json; charset=utf-8";

/** 400, 401, 403 and 413 are final (Event Grid itself does not retry them); 408, 429 and 5xx are not. */
async function classify(response: Response, size: number): Promise<PublishOutcome> {
  const text = await response.text().catch(() => "");
  let detail = text.slice(0, 500);
  try {
    const error = (JSON.parse(text) as { error?: { code?: string; message?: string; details?: unknown } })
      .error;
    if (error !== undefined) detail = JSON.stringify(error).slice(0, 500);
  } catch {
    // not JSON: keep the text
  }
  const reason = `Event Grid answered ${response.status} for a ${size}-byte request: ${detail}`;
  if (response.status === 429 || response.status === 408 || response.status >= 500) {
    return retriable(reason, retryAfterMs(response.headers.get("retry-after"), Date.now()));
  }
  return terminal(reason, response.status);
}

export function createEventGridAdapter(options: EventGridOptions, runtime: AdapterRuntime): Adapter {
  const namespace = options.namespaceTopic !== undefined;
  const limits = namespace ? LIMITS.namespace : LIMITS.topic;
  const base = options.endpoint.replace(/\/+$/, "");
  const url = namespace
    ? `${base}/topics/${encodeURIComponent(options.namespaceTopic as string)}:publish?api-version=2024-06-01`
    : `${base}?api-version=2018-01-01`;
  const insecure = base.startsWith("http://") && options.allowInsecure !== true;
  const token = options.entra === undefined ? undefined : entraTokens(options.entra, runtime.fetch);
  // Encoded once per event: the size check at ingress and the publish share it.
  const encode = perEvent(toJsonFormat);

  async function authHeaders(): Promise<Record<string, string>> {
    if (token !== undefined) return { authorization: `Bearer ${await token()}` };
    if (options.key !== undefined)
      return namespace ? { authorization: `SharedAccessKey ${options.key}` } : { "aeg-sas-key": options.key };
    if (options.sasToken !== undefined) return { "aeg-sas-token": options.sasToken };
    return {};
  }

  async function send(
    events: readonly Uint8Array[],
    signal: AbortSignal,
    deadline: number,
  ): Promise<PublishOutcome> {
    const size = events.reduce((sum, e) => sum + e.length + 1, 1);
    const body = new Uint8Array(size);
    let offset = 0;
    body[offset++] = 0x5b;
    events.forEach((event, i) => {
      if (i > 0) body[offset++] = 0x2c;
      body.set(event, offset);
      offset += event.length;
    });
    body[offset] = 0x5d;
    const timeoutMs = Math.max(1, Math.min(options.timeoutMs ?? 10_000, deadline - Date.now()));
    try {
      const response = await runtime.fetch(url, {
        method: "POST",
        headers: { "content-type": BATCH_CONTENT_TYPE, ...(await authHeaders()) },
        body,
        signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
      });
      if (response.ok) {
        await response.body?.cancel().catch(() => {});
        return acked({ status: response.status });
      }
      return await classify(response, size);
    } catch (error) {
      return retriable(`Event Grid did not answer: ${describeError(error)}`);
    }
  }

  return {
    type: "eventgrid",
    capabilities: {
      batching: true,
      orderingKeys: false,
      brokerDedup: false,
      modes: ["structured"],
      runsOnWorkers: true,
      maxEventBytes: limits.maxEventBytes,
    },
    encodedSize: (message) => encode(message.event).length,
    async publish(messages, { signal, deadline }) {
      if (insecure) return messages.map(() => terminal("An http:// endpoint needs allowInsecure: true"));
      const encoded = messages.map((m) => encode(m.event));
      const outcomes: PublishOutcome[] = new Array(messages.length);
      const fitting: number[] = [];
      encoded.forEach((e, i) => {
        if (e.length > limits.maxEventBytes) {
          outcomes[i] = terminal(
            `The event is ${e.length} bytes; Event Grid takes at most ${limits.maxEventBytes} per event`,
            413,
          );
        } else {
          fitting.push(i);
        }
      });
      const batches = packBatches(
        fitting.map((i) => (encoded[i] as Uint8Array).length),
        limits,
      ).map((batch) => batch.map((j) => fitting[j] as number));
      // One request after another, so a call's events reach the topic in the order given.
      for (const batch of batches) {
        const outcome = await send(
          batch.map((i) => encoded[i] as Uint8Array),
          signal,
          deadline,
        );
        for (const i of batch) outcomes[i] = outcome;
      }
      return outcomes;
    },
    async ready() {
      return !insecure;
    },
    async close() {},
  };
}

export const eventGridTarget: AdapterFactory<EventGridOptions> = {
  ...eventGridDescriptor,
  create: (options, runtime) => createEventGridAdapter(options, runtime),
};
