/**
 * The `eventgrid` target: Azure Event Grid topics and domains and namespace
 * topics, as CloudEvents batches in the JSON format. Forwarding is lossless:
 * events go out as the bytes the gateway holds. With `api: sdk` (Node) the
 * official `@azure/eventgrid` client and `@azure/identity` are used where they
 * send an event unchanged (injected by the Node entry: `./node/target.ts`);
 * with `api: rest` (any runtime, Workers included) every request is the
 * documented REST call made with fetch.
 */
import {
  type Adapter,
  type AdapterFactory,
  type AdapterRuntime,
  type OutboundMessage,
  type PublishOutcome,
  retriable,
  terminal,
} from "../../src/adapter/adapter.js";
import { serverAddressOf } from "../../src/adapter/server-address.js";
import { authFor, isPlainHttp } from "./auth.js";
import { LIMITS, packBatches } from "./batches.js";
import { eventGridDescriptor } from "./descriptor.js";
import { eventGridBytesOf, eventGridTargetEncoding } from "./encoding.js";
import { entraTokens } from "./entra-token.js";
import type { EventGridOptions } from "./options.js";
import { type BatchSender, publishUrl, restSender } from "./rest-sender.js";

export type { EventGridOptions } from "./options.js";

/** Senders that need more than fetch, injected by the entry whose runtime has them. */
export interface EventGridClients {
  /** `api: sdk`: batches through the Azure SDKs (Node). */
  readonly sdk?: (options: EventGridOptions, runtime: AdapterRuntime) => Promise<BatchSender>;
}

/** The fetch-only sender: Entra ID tokens by the client-credentials request, no SDK. */
function portableSender(options: EventGridOptions, runtime: AdapterRuntime): BatchSender {
  const cache = { shareInFlight: runtime.shareInFlight };
  const auth = authFor(options, (entra) => entraTokens(entra, runtime.fetch, cache), cache);
  return restSender({
    url: publishUrl(options),
    namespace: options.namespaceTopic !== undefined,
    auth,
    fetch: runtime.fetch,
  });
}

async function openSender(
  options: EventGridOptions,
  runtime: AdapterRuntime,
  clients: EventGridClients,
): Promise<BatchSender> {
  if ((options.api ?? "sdk") === "rest") return portableSender(options, runtime);
  if (clients.sdk === undefined)
    throw new Error("api: sdk needs the Azure SDKs, which this runtime does not have: set api: rest");
  return clients.sdk(options, runtime);
}

export function createEventGridAdapter(
  options: EventGridOptions,
  runtime: AdapterRuntime,
  clients: EventGridClients = {},
): Adapter {
  const limits = options.namespaceTopic !== undefined ? LIMITS.namespace : LIMITS.topic;
  const insecure = isPlainHttp(options.endpoint) && options.allowInsecure !== true;
  const encoding = eventGridTargetEncoding(options);
  /** The router's encoding when it gave one, else this target's own (a direct caller). */
  const encode = (message: OutboundMessage) => eventGridBytesOf(message.encoded ?? encoding.encode(message));
  const sender = insecure ? undefined : openSender(options, runtime, clients);
  sender?.catch(() => {});

  return {
    type: "eventgrid",
    // The endpoint's host is the server; spans name the target, as a SAS-keyed URL is not shown.
    telemetry: {
      system: "eventgrid",
      addressIsDestination: false,
      ...serverAddressOf(options.endpoint, "https"),
    },
    capabilities: {
      batching: true,
      orderingKeys: false,
      brokerDedup: false,
      modes: ["structured"],
      runsOnWorkers: options.api === "rest",
      maxEventBytes: limits.maxEventBytes,
    },
    encoding,
    async publish(messages, { signal, traceHeaders }) {
      if (sender === undefined)
        return messages.map(() => terminal("An http:// endpoint needs allowInsecure: true"));
      let send: BatchSender;
      try {
        send = await sender;
      } catch (error) {
        return messages.map(() => terminal(`The Event Grid client could not be created: ${String(error)}`));
      }
      const encoded = messages.map(encode);
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
        const outcome = signal.aborted
          ? retriable("The attempt ended before this batch was sent")
          : await send.send(
              batch.map((i) => encoded[i] as Uint8Array),
              signal,
              traceHeaders,
            );
        for (const i of batch) outcomes[i] = outcome;
      }
      return outcomes;
    },
    async ready() {
      if (sender === undefined) return false;
      return sender.then(
        () => true,
        () => false,
      );
    },
    async close() {},
  };
}

/** The target type with the senders a runtime offers (REST alone when none are given). */
export function eventGridTargetWith(clients: EventGridClients = {}): AdapterFactory<EventGridOptions> {
  return {
    ...eventGridDescriptor,
    create: (options, runtime) => createEventGridAdapter(options, runtime, clients),
  };
}
