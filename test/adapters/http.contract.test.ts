/**
 * The HTTP target against a local receiver, in each content mode; the
 * receiver reads requests with the gateway's own HTTP decoder, and data
 * content types as the official `cloudevents` SDK (`HTTP.toEvent`) reads them.
 */
import { type CloudEvent, HTTP } from "cloudevents";
import { describe, expect, it } from "vitest";
import { createHttpAdapter, type HttpOptions } from "../../adapters/http/index.js";
import { portableRuntime } from "../../src/adapter/default-runtime.js";
import { decodeHttpRequest } from "../../src/bindings/http/decode.js";
import { createCloudEvent } from "../../src/event/cloud-event.js";
import { normalizeEvents } from "../../src/normalize/normalize-event.js";
import { attemptOptions } from "../support/attempt.js";
import { freePort } from "../support/cli-process.js";
import { type HttpReceiver, type ReceivedRequest, startHttpReceiver } from "../support/http-receiver.js";
import {
  collect,
  describeAdapterContract,
  ignoringAddress,
  type ReceivedEvent,
  type ReceiverView,
} from "./contract.js";

/** The index-th event of a request as a receiver on the official SDK reads it. */
function sdkView(request: ReceivedRequest, index: number): ReceiverView {
  const body = new TextDecoder().decode(request.body);
  const read = HTTP.toEvent({ headers: request.headers, body: body === "" ? undefined : body });
  const event = (Array.isArray(read) ? read[index] : read) as CloudEvent<unknown>;
  return { datacontenttype: event.datacontenttype, data: event.data };
}

function decodeAll(receiver: HttpReceiver): ReceivedEvent[] {
  return receiver.requests.flatMap((r) =>
    normalizeEvents(decodeHttpRequest(new Headers(r.headers), r.body).events).map((event, i) => ({
      event,
      address: r.path,
      receiverView: () => sdkView(r, i),
    })),
  );
}

function httpSubject(mode: HttpOptions["mode"], headerEncoding?: HttpOptions["headerEncoding"]) {
  return {
    name: `http, ${mode} mode${headerEncoding === undefined ? "" : `, ${headerEncoding} header values`}`,
    async setup() {
      const receiver = await startHttpReceiver();
      const adapter = createHttpAdapter(
        { url: `${receiver.url}/{type}`, mode, timeoutMs: 3_000, ...(headerEncoding && { headerEncoding }) },
        portableRuntime(),
      );
      return {
        adapter,
        // The address is the full URL; the receiver records the path.
        addressFor: (runId: string, name: string) => `${receiver.url}/contract/${runId}/${name}`,
        received: async (prefix: string, count: number) =>
          (await collect(() => decodeAll(receiver), prefix, count)).map((r) => ({
            ...r,
            address: `${receiver.url}${r.address}`,
          })),
        // These adapters publish to their own url, whatever address the suite gives.
        unreachable: async () =>
          ignoringAddress(
            createHttpAdapter({ url: `http://127.0.0.1:${await freePort()}/x`, mode }, portableRuntime()),
          ),
        refusing: async () =>
          ignoringAddress(createHttpAdapter({ url: `${receiver.url}/refuse`, mode }, portableRuntime())),
        teardown: () => receiver.close(),
        keepsAttributeTypes: mode !== "binary",
        writesBinaryMode: mode === "binary",
      };
    },
  };
}

describeAdapterContract(httpSubject("binary"));
// Raw values (for receivers on sdk-go) round-trip too: the gateway's decoder keeps a % that starts no escape.
describeAdapterContract(httpSubject("binary", "raw"));
describeAdapterContract(httpSubject("structured"));
describeAdapterContract(httpSubject("batch"));

describe("http target status handling", () => {
  const event = createCloudEvent({ attributes: { specversion: "1.0", id: "s1", source: "/s", type: "t" } });
  const options = () => ({ signal: new AbortController().signal, deadline: Date.now() + 5_000 });

  it("takes 503 with Retry-After as retriable after that delay", async () => {
    const receiver = await startHttpReceiver();
    try {
      const adapter = createHttpAdapter({ url: `${receiver.url}/busy` }, portableRuntime());
      const [outcome] = await adapter.publish([{ event }], options());
      expect(outcome).toMatchObject({ status: "retriable", retryAfterMs: 7_000 });
    } finally {
      await receiver.close();
    }
  });

  it("gives up on a receiver that does not answer before the attempt ends, as retriable, saying why", async () => {
    const { createServer } = await import("node:net");
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const adapter = createHttpAdapter(
        { url: `http://127.0.0.1:${port}/`, timeoutMs: 200 },
        portableRuntime(),
      );
      const started = Date.now();
      const [outcome] = await adapter.publish([{ event }], attemptOptions(200));
      expect(outcome).toMatchObject({ status: "retriable", reason: expect.stringContaining("200 ms") });
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      silent.close();
    }
  });
});

describe("http target headers and Retry-After", () => {
  it("lets the event's own headers replace configured ones of the same name", async () => {
    const receiver = await startHttpReceiver();
    try {
      const adapter = createHttpAdapter(
        {
          url: `${receiver.url}/h`,
          headers: { "Content-Type": "text/plain", "CE-Source": "/forced", authorization: "Bearer t" },
        },
        portableRuntime(),
      );
      const event = createCloudEvent({
        attributes: {
          specversion: "1.0",
          id: "h1",
          source: "/s",
          type: "t",
          datacontenttype: "application/json",
        },
      });
      await adapter.publish([{ event }], {
        signal: new AbortController().signal,
        deadline: Date.now() + 5_000,
      });
      expect(receiver.requests[0]?.headers).toMatchObject({
        "content-type": "application/json",
        "ce-source": "/s",
        authorization: "Bearer t",
      });
    } finally {
      await receiver.close();
    }
  });

  it("refuses, as terminal and before sending, a raw value with a control character", async () => {
    const receiver = await startHttpReceiver();
    try {
      const adapter = createHttpAdapter(
        { url: `${receiver.url}/raw`, headerEncoding: "raw" },
        portableRuntime(),
      );
      const event = (note: string) =>
        createCloudEvent({
          attributes: { specversion: "1.0", id: "r1", source: "/s", type: "t" },
          extensions: new Map([["note", note]]),
        });
      const outcomes = await adapter.publish(
        [{ event: event("a\r\nx-injected: yes") }, { event: event("nul\u0000") }, { event: event("fine") }],
        { signal: new AbortController().signal, deadline: Date.now() + 5_000 },
      );
      expect(outcomes[0]).toMatchObject({
        status: "terminal",
        reason: expect.stringMatching(/ce-note.*U\+000D/),
      });
      expect(outcomes[1]).toMatchObject({
        status: "terminal",
        reason: expect.stringMatching(/ce-note.*U\+0000/),
      });
      expect(outcomes[2]).toMatchObject({ status: "acked" });
      expect(receiver.requests.map((r) => r.headers["ce-note"])).toEqual(["fine"]);
      expect(receiver.requests[0]?.headers["x-injected"]).toBeUndefined();
    } finally {
      await receiver.close();
    }
  });

  it("sends raw values as UTF-8 bytes, losing leading and trailing spaces as HTTP does", async () => {
    const receiver = await startHttpReceiver();
    try {
      const adapter = createHttpAdapter(
        { url: `${receiver.url}/raw`, headerEncoding: "raw" },
        portableRuntime(),
      );
      const event = createCloudEvent({
        attributes: { specversion: "1.0", id: "r2", source: "/s", type: "t", subject: "  padded Grüße 😀  " },
      });
      const [outcome] = await adapter.publish([{ event }], {
        signal: new AbortController().signal,
        deadline: Date.now() + 5_000,
      });
      expect(outcome?.status).toBe("acked");
      const sent = receiver.requests[0]?.headers["ce-subject"] ?? "";
      expect(new TextDecoder().decode(Uint8Array.from(sent, (c) => c.charCodeAt(0)))).toBe("padded Grüße 😀");
    } finally {
      await receiver.close();
    }
  });

  it("reads Retry-After strictly and caps it", async () => {
    const { retryAfterMs } = await import("../../src/adapter/retry-after.js");
    const now = Date.parse("Wed, 21 Oct 2026 07:28:00 GMT");
    expect(retryAfterMs("120", now)).toBe(120_000);
    expect(retryAfterMs("Wed, 21 Oct 2026 07:28:30 GMT", now)).toBe(30_000);
    expect(retryAfterMs("99999999999", now)).toBe(3_600_000);
    expect(retryAfterMs("soon 5", now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});
