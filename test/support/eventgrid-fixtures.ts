/**
 * What the Event Grid tests share: the events they send, the targets they
 * build against the local Event Grid, and how they read what it received.
 */
import { createNodeEventGridAdapter } from "../../adapters/eventgrid/node/target.js";
import { portableRuntime } from "../../src/adapter/default-runtime.js";
import { decodeHttpRequest } from "../../src/bindings/http/decode.js";
import { createCloudEvent, EventData } from "../../src/event/cloud-event.js";
import { normalizeEvents } from "../../src/normalize/normalize-event.js";
import type { ReceivedEvent } from "../adapters/contract.js";
import { attemptOptions } from "./attempt.js";
import type { FakeEventGrid } from "./fake-eventgrid.js";

/** An attempt as the delivery layer makes it for a target whose timeout is `timeoutMs`. */
export const publishOptions = (timeoutMs = 10_000) => attemptOptions(timeoutMs);

/** The events the local Event Grid accepted, decoded as the gateway decodes a batch. */
export function received(fake: FakeEventGrid): ReceivedEvent[] {
  return fake.requests.flatMap((r) =>
    normalizeEvents(
      decodeHttpRequest(
        new Headers({ "content-type": "application/cloudevents-batch+json" }),
        new TextEncoder().encode(r.body),
      ).events,
    ).map((event) => ({ event })),
  );
}

/** A JSON event; with the defaults, one the SDK carries unchanged (a time in milliseconds, object data). */
export const jsonEvent = (id: string, data = '{"a":1}', time = "2026-11-30T12:00:00.123Z") =>
  createCloudEvent({
    attributes: {
      specversion: "1.0",
      id,
      source: "/s",
      type: "t",
      time,
      datacontenttype: "application/json",
    },
    data: new EventData(new TextEncoder().encode(data), "json"),
  });

export const timedEvent = (id: string) => jsonEvent(id);

/** A text event of `size` bytes of data: always sent as the REST request. */
export const textEvent = (id: string, size = 10) =>
  createCloudEvent({
    attributes: { specversion: "1.0", id, source: "/s", type: "t", datacontenttype: "text/plain" },
    data: new EventData(new TextEncoder().encode("x".repeat(size)), "text"),
  });

/** Whether a request came from `@azure/eventgrid` (its user agent). */
export const viaSdk = (request: { headers: Record<string, string> }) =>
  /azsdk-js-eventgrid/.test(request.headers["user-agent"] ?? "");

/** A topic target (plain HTTP) with the access key "k" (what the fake accepts when started with it). */
export function keyTarget(fake: FakeEventGrid, api: "rest" | "sdk" = "sdk") {
  return createNodeEventGridAdapter(
    { api, endpoint: `${fake.url}/api/events`, key: "k", allowInsecure: true },
    { ...portableRuntime(), fetch: fake.fetch },
  );
}

/** A topic target (plain HTTP) signing with shared access signatures made from `key`. */
export function sasTarget(fake: FakeEventGrid, api: "rest" | "sdk", key: string, path = "/api/events") {
  return createNodeEventGridAdapter(
    { api, endpoint: `${fake.url}${path}`, allowInsecure: true, sasToken: { key } },
    { ...portableRuntime(), fetch: fake.fetch },
  );
}

/** Entra ID tokens by fetch (plain HTTP will do) and by @azure/identity (which asks an https authority). */
export const ENTRA_PATHS = [
  ["by fetch (rest)", "rest", false],
  ["by @azure/identity (sdk)", "sdk", true],
] as const;

/** A topic target signing in with Entra ID at the fake's authority (HTTPS when the fake has TLS). */
export function entraTarget(
  fake: FakeEventGrid,
  api: "rest" | "sdk",
  clientSecret: string,
  fetchFn: typeof fetch,
  timeoutMs = 10_000,
) {
  return createNodeEventGridAdapter(
    {
      api,
      timeoutMs,
      endpoint: `${fake.url}/api/events`,
      allowInsecure: fake.url.startsWith("http://"),
      entra: {
        tenantId: "t",
        clientId: "c",
        clientSecret,
        authorityHost: fake.url,
        disableInstanceDiscovery: true,
      },
    },
    { ...portableRuntime(), fetch: fetchFn },
  );
}
