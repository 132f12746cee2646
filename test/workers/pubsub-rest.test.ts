/**
 * The Pub/Sub REST client inside workerd: publishes, with a service-account
 * token signed by WebCrypto (jose), to the fake's REST endpoint.
 */
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodePubsubMessage } from "../../src/bindings/pubsub/decode.js";
import type { FakePubsub } from "../support/fake-pubsub/index.js";
import { fakePubsubWithServiceAccount } from "../support/fake-pubsub/service-account.js";
import { bundleForWorkerd } from "../support/workerd-bundle.js";

const WORKER = `
import { createPubsubAdapter } from "./adapters/pubsub/index.ts";
import { portableRuntime } from "./src/adapter/default-runtime.ts";
import { createCloudEvent, EventData } from "./src/event/cloud-event.ts";
export default {
  async fetch(request, env) {
    const adapter = createPubsubAdapter(
      { projectId: "p", topic: "edge", api: "rest", apiEndpoint: env.PUBSUB_URL, credentials: { keyJson: env.KEY_JSON } },
      portableRuntime(),
    );
    const count = Number(new URL(request.url).searchParams.get("count") ?? "1");
    const messages = Array.from({ length: count }, (_, i) => ({
      event: createCloudEvent({
        attributes: { specversion: "1.0", id: "edge-" + i, source: "/edge", type: "t", datacontenttype: "application/json" },
        extensions: new Map([["greeting", "Euro € 😀"]]),
        data: new EventData(new TextEncoder().encode('{"n":1.0}'), "json"),
      }),
    }));
    const outcomes = await adapter.publish(messages, { signal: new AbortController().signal, deadline: Date.now() + 5000 });
    await adapter.close();
    return Response.json(outcomes);
  },
};`;

let fake: FakePubsub;
let mf: Miniflare;

beforeAll(async () => {
  const withKey = await fakePubsubWithServiceAccount(["edge"]);
  fake = withKey.fake;
  const { keyJson } = withKey;
  const script = await bundleForWorkerd({ source: WORKER });
  mf = new Miniflare({
    modules: true,
    script,
    compatibilityDate: "2025-09-01",
    bindings: { PUBSUB_URL: fake.restUrl, KEY_JSON: keyJson },
  });
}, 60_000);

afterAll(async () => {
  await mf?.dispose();
  await fake?.close();
});

describe("the Pub/Sub REST client in workerd", () => {
  it("publishes a single event and a batch with a token it signed itself", async () => {
    const one = await (await mf.dispatchFetch("http://worker/?count=1")).json();
    expect(one).toEqual([{ status: "acked", receipt: { id: expect.any(String) } }]);
    const batch = (await (await mf.dispatchFetch("http://worker/?count=5")).json()) as { status: string }[];
    expect(batch.map((o) => o.status)).toEqual(Array(5).fill("acked"));
    const stored = fake.messages("edge");
    expect(stored).toHaveLength(6);
    const event = decodePubsubMessage(stored[0]?.attributes ?? {}, stored[0]?.data ?? new Uint8Array());
    expect(event.extensions.get("greeting")).toBe("Euro € 😀");
    expect(new TextDecoder().decode(event.data?.bytes)).toBe('{"n":1.0}');
    expect(fake.tokensIssued()).toBe(2);
  });
});
