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
import { describeError } from "../../../src/errors/errors.js";
import { type EventGridAuth, keyOrSasAuth, refusedCredentials } from "../auth.js";
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

export function sdkSender(options: EventGridOptions, runtime: AdapterRuntime): BatchSender {
  const httpClient = fetchHttpClient(runtime.fetch);
  const namespace = options.namespaceTopic !== undefined;
  const entra =
    options.entra === undefined
      ? undefined
      : new ClientSecretCredential(
          options.entra.tenantId,
          options.entra.clientId,
          options.entra.clientSecret,
          {
            ...(options.entra.authorityHost !== undefined && { authorityHost: options.entra.authorityHost }),
            disableInstanceDiscovery: options.entra.disableInstanceDiscovery ?? false,
            httpClient,
          },
        );
  const auth: EventGridAuth =
    entra === undefined
      ? (keyOrSasAuth(options) as EventGridAuth)
      : {
          kind: "bearer",
          token: async () => (await entra.getToken(EVENT_GRID_SCOPE)).token,
        };
  const timeoutMs = options.timeoutMs ?? 10_000;
  const rest = restSender({
    url: publishUrl(options.endpoint, options.namespaceTopic),
    namespace,
    auth,
    fetch: runtime.fetch,
    timeoutMs,
  });
  if (namespace) return rest;

  // A SAS credential whose signature is refreshed before each send (generated tokens expire).
  const sas = auth.kind === "sas" ? new AzureSASCredential(" ") : undefined;
  const credential = entra ?? sas ?? new AzureKeyCredential((auth as { key: string }).key);
  const client = new EventGridPublisherClient(
    options.endpoint.replace(/\/+$/, ""),
    "CloudEvent",
    credential,
    {
      httpClient,
      allowInsecureConnection: options.allowInsecure === true,
      retryOptions: { maxRetries: 0 },
      userAgentOptions: { userAgentPrefix: "ce-gateway" },
    },
  );

  return {
    async send(events, signal, deadline) {
      const inputs: SendCloudEventInput<unknown>[] = [];
      for (const event of events) {
        const input = sdkInputFor(event);
        if (input === undefined) return rest.send(events, signal, deadline);
        inputs.push(input);
      }
      const size = events.reduce((sum, e) => sum + e.length + 1, 1);
      try {
        if (sas !== undefined && auth.kind === "sas") sas.update(await auth.token());
        await client.send(inputs, {
          abortSignal: AbortSignal.any([
            signal,
            AbortSignal.timeout(Math.max(1, Math.min(timeoutMs, deadline - Date.now()))),
          ]),
        });
        return acked({ via: "sdk" });
      } catch (error) {
        const { statusCode, response } = error as SdkRestError;
        if (statusCode === undefined || response === undefined)
          return refusedCredentials(error) ?? retriable(`Event Grid did not answer: ${describeError(error)}`);
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
