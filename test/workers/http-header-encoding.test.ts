/**
 * The http target's headerEncoding inside workerd, whose fetch writes header
 * strings as UTF-8 (Node's takes byte strings): raw values must arrive as
 * their UTF-8 bytes on both, and a value with a control character is refused.
 */
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HttpReceiver, startHttpReceiver } from "../support/http-receiver.js";
import { bundleForWorkerd } from "../support/workerd-bundle.js";

const WORKER = `
import { createHttpAdapter } from "./adapters/http/index.ts";
import { portableRuntime } from "./src/adapter/default-runtime.ts";
import { createCloudEvent } from "./src/event/cloud-event.ts";
export default {
  async fetch(request) {
    const { url, headerEncoding, notes } = await request.json();
    const adapter = createHttpAdapter({ url, headerEncoding }, portableRuntime());
    const messages = notes.map((note, i) => ({
      event: createCloudEvent({
        attributes: { specversion: "1.0", id: "w-" + i, source: "/edge", type: "t", subject: "order 1001" },
        extensions: new Map([["note", note]]),
      }),
    }));
    const outcomes = await adapter.publish(messages, { signal: new AbortController().signal, deadline: Date.now() + 5000 });
    return Response.json(outcomes);
  },
};`;

let receiver: HttpReceiver;
let mf: Miniflare;

beforeAll(async () => {
  receiver = await startHttpReceiver();
  mf = new Miniflare({
    modules: true,
    script: await bundleForWorkerd({ source: WORKER }),
    compatibilityDate: "2025-09-01",
  });
}, 60_000);

afterAll(async () => {
  await mf?.dispose();
  await receiver?.close();
});

const publishInWorkerd = async (headerEncoding: string, notes: string[]) =>
  (await (
    await mf.dispatchFetch("http://worker/", {
      method: "POST",
      body: JSON.stringify({ url: `${receiver.url}/edge`, headerEncoding, notes }),
    })
  ).json()) as { status: string; reason?: string }[];

/** A received header's bytes read as UTF-8 (Node hands them over one character per byte). */
const utf8Of = (value: string | undefined) =>
  new TextDecoder().decode(Uint8Array.from(value ?? "", (c) => c.charCodeAt(0)));

describe("the http target's headerEncoding in workerd", () => {
  it("sends raw values as their UTF-8 bytes", async () => {
    receiver.requests.length = 0;
    expect(await publishInWorkerd("raw", ["Euro € 😀 Grüße 100%"])).toEqual([
      { status: "acked", receipt: { status: 204 } },
    ]);
    expect(utf8Of(receiver.requests[0]?.headers["ce-note"])).toBe("Euro € 😀 Grüße 100%");
    expect(receiver.requests[0]?.headers["ce-subject"]).toBe("order 1001");
  });

  it("percent-encodes by default", async () => {
    receiver.requests.length = 0;
    await publishInWorkerd("percent", ["Euro €"]);
    expect(receiver.requests[0]?.headers["ce-note"]).toBe("Euro%20%E2%82%AC");
  });

  it("refuses a raw value with a control character as terminal, sending nothing", async () => {
    receiver.requests.length = 0;
    const outcomes = await publishInWorkerd("raw", ["a\r\nx-injected: yes", "a\u0001b"]);
    expect(outcomes.map((o) => o.status)).toEqual(["terminal", "terminal"]);
    expect(outcomes[0]?.reason).toMatch(/ce-note.*U\+000D/);
    expect(receiver.requests).toHaveLength(0);
  });
});
