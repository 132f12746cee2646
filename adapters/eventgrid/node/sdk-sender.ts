/**
 * The Node path: `@azure/eventgrid` for topics and domains, and
 * `@azure/identity` for Microsoft Entra ID. A batch goes through the SDK when
 * the SDK would send every event in it unchanged (see sdk-input.ts); any
 * other batch, and every namespace batch, is sent as the documented REST
 * request with the same credentials. The SDK's own retries are off: attempts,
 * back-off and dead letters belong to the delivery layer.
 */
import {
  AzureKeyCredential,
  AzureSASCredential,
  EventGridPublisherClient,
  type SendCloudEventInput,
} from "@azure/eventgrid";
import { ClientSecretCredential } from "@azure/identity";
import { type AdapterRuntime, acked, retriable } from "../../../src/adapter/adapter.js";
import { untilAborted } from "../../../src/adapter/until-aborted.js";
import { describeError } from "../../../src/errors/errors.js";
import { authFor, endpointOf, isPlainHttp, signInFailure } from "../auth.js";
import { eventGridDescriptor } from "../descriptor.js";
import { EVENT_GRID_SCOPE } from "../entra-token.js";
import type { EventGridOptions } from "../options.js";
import { type BatchSender, classifyFailure, publishUrl, restSender } from "../rest-sender.js";
import { fetchHttpClient } from "./fetch-http-client.js";
import { sdkInputFor } from "./sdk-input.js";

/** What `@azure/core-rest-pipeline` throws for an answered request. */
interface SdkRestError {
  readonly statusCode?: number;
  readonly response?: {
    readonly bodyAsText?: string | null;
    readonly headers: { get(name: string): string | undefined };
  };
}

/**
 * The client's policy that copies a `traceparent` header into every event
 * when Azure SDK tracing is active, re-serializing the body: removed, since
 * events must arrive as accepted. Without it the SDK is not used at all.
 */
const TRACING_ENRICHER = "cloudEventDistributedTracingEnricherPolicy";

function withoutEventRewriting(client: EventGridPublisherClient<"CloudEvent">): boolean {
  const pipeline = (
    client as unknown as { client?: { pipeline?: { removePolicy(p: { name: string }): unknown[] } } }
  ).client?.pipeline;
  return pipeline !== undefined && pipeline.removePolicy({ name: TRACING_ENRICHER }).length > 0;
}

export function sdkSender(options: EventGridOptions, runtime: AdapterRuntime): BatchSender {
  // MSAL's sign-in requests do not carry getToken's abort signal: the attempt stops waiting for
  // them (untilAborted), and this backstop keeps one that hangs from staying open for ever.
  const httpClient = fetchHttpClient(
    runtime.fetch,
    options.timeoutMs ?? eventGridDescriptor.defaultTimeoutMs,
  );
  const endpoint = endpointOf(options);
  let entra: ClientSecretCredential | undefined;
  const auth = authFor(
    options,
    (settings) => {
      const credential = new ClientSecretCredential(
        settings.tenantId,
        settings.clientId,
        settings.clientSecret,
        {
          ...(settings.authorityHost !== undefined && { authorityHost: settings.authorityHost }),
          disableInstanceDiscovery: settings.disableInstanceDiscovery ?? false,
          httpClient,
        },
      );
      entra = credential;
      // CAE-enabled, as the SDK's bearer policy asks: @azure/identity caches the two kinds apart.
      return async (signal) =>
        (await credential.getToken(EVENT_GRID_SCOPE, { abortSignal: signal, enableCae: true })).token;
    },
    { shareInFlight: runtime.shareInFlight },
  );
  const rest = restSender({
    url: publishUrl(options),
    namespace: options.namespaceTopic !== undefined,
    auth,
    fetch: runtime.fetch,
  });
  // The SDK publishes to topics and domains only, and sends bearer tokens over https only.
  if (options.namespaceTopic !== undefined || (entra !== undefined && isPlainHttp(endpoint))) return rest;

  // A SAS credential's signature is set before each send (generated tokens expire).
  const sas = auth.kind === "sas" ? new AzureSASCredential(" ") : undefined;
  const credential = entra ?? sas ?? new AzureKeyCredential(auth.kind === "key" ? auth.key : "");
  const client = new EventGridPublisherClient(endpoint, "CloudEvent", credential, {
    httpClient,
    allowInsecureConnection: options.allowInsecure === true,
    retryOptions: { maxRetries: 0 },
    userAgentOptions: { userAgentPrefix: "ce-gateway" },
  });
  if (!withoutEventRewriting(client)) return rest;

  return {
    async send(events, signal, traceHeaders) {
      const inputs: SendCloudEventInput<unknown>[] = [];
      for (const event of events) {
        const input = sdkInputFor(event);
        if (input === undefined) return rest.send(events, signal, traceHeaders);
        inputs.push(input);
      }
      const size = events.reduce((sum, e) => sum + e.length + 1, 1);
      try {
        if (sas !== undefined && auth.kind === "sas")
          sas.update(await untilAborted(auth.token(signal), signal));
        // The hop's trace context as request headers (the SDK's own tracing policy is taken out).
        const requestOptions =
          traceHeaders === undefined ? {} : { requestOptions: { customHeaders: { ...traceHeaders } } };
        await untilAborted(client.send(inputs, { abortSignal: signal, ...requestOptions }), signal);
        return acked({ via: "sdk", status: 200 });
      } catch (error) {
        const { statusCode, response } = error as SdkRestError;
        if (statusCode === undefined || response === undefined)
          return signInFailure(error) ?? retriable(`Event Grid did not answer: ${describeError(error)}`);
        // The generated client expects 200 and throws for any other status, success included.
        if (statusCode >= 200 && statusCode < 300) return acked({ via: "sdk", status: statusCode });
        return classifyFailure(
          statusCode,
          response.headers.get("retry-after"),
          response.bodyAsText ?? "",
          size,
        );
      }
    },
  };
}
