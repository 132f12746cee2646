/**
 * The fake Pub/Sub's REST twin via fetch: publish, Google's JSON error bodies
 * and HTTP statuses, every publish limit (at and over the limit), failure
 * injection, and the state shared with the gRPC face.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakePubsub, startFakePubsub } from "../support/fake-pubsub/index.js";

const b64 = (s: string) => Buffer.from(s).toString("base64");

describe("fake Pub/Sub over REST", () => {
  let fake: FakePubsub;
  const publish = (topic: string, body: unknown) =>
    fetch(`${fake.restUrl}/v1/projects/p/topics/${topic}:publish`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });

  beforeAll(async () => {
    fake = await startFakePubsub({ topics: ["events"] });
  });
  afterAll(async () => {
    await fake?.close();
  });
  beforeEach(() => fake.reset());

  it("publishes and records the decoded messages", async () => {
    const res = await publish("events", {
      messages: [
        { data: b64("one"), attributes: { "ce-id": "1" }, orderingKey: "k" },
        { attributes: { only: "attrs" } },
      ],
    });
    expect(res.status).toBe(200);
    const { messageIds } = (await res.json()) as { messageIds: string[] };
    expect(messageIds).toHaveLength(2);
    expect(Number(messageIds[1])).toBeGreaterThan(Number(messageIds[0]));
    const [first, second] = fake.messages("projects/p/topics/events");
    expect(new TextDecoder().decode(first?.data)).toBe("one");
    expect(first).toMatchObject({ attributes: { "ce-id": "1" }, orderingKey: "k", messageId: messageIds[0] });
    expect(second).toMatchObject({ attributes: { only: "attrs" }, orderingKey: "", data: new Uint8Array() });
    expect(fake.attempts()).toEqual([
      { transport: "rest", topic: "projects/p/topics/events", messageCount: 2, orderingKeys: ["k"], code: 0 },
    ]);
  });

  it("answers 404 NOT_FOUND with Google's error body for an unknown topic", async () => {
    const res = await publish("nope", { messages: [{ data: b64("x") }] });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { code: 404, message: "Resource not found (resource=nope).", status: "NOT_FOUND" },
    });
  });

  it("supports GetTopic (GET) and CreateTopic (PUT)", async () => {
    const url = `${fake.restUrl}/v1/projects/p/topics/made-by-rest`;
    expect((await fetch(url)).status).toBe(404);
    const created = await fetch(url, { method: "PUT" });
    expect(await created.json()).toEqual({ name: "projects/p/topics/made-by-rest" });
    expect((await fetch(url, { method: "PUT" })).status).toBe(409);
    expect((await fetch(url)).status).toBe(200);
  });

  const attrs = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`a${i}`, "v"]));
  const MiB = 1024 * 1024;
  const cases: [string, unknown, boolean][] = [
    ["1,000 messages", { messages: Array.from({ length: 1000 }, () => ({ data: b64("x") })) }, true],
    ["1,001 messages", { messages: Array.from({ length: 1001 }, () => ({ data: b64("x") })) }, false],
    ["no messages", { messages: [] }, false],
    ["100 attributes", { messages: [{ attributes: attrs(100) }] }, true],
    ["101 attributes", { messages: [{ attributes: attrs(101) }] }, false],
    ["256-byte key", { messages: [{ attributes: { ["k".repeat(256)]: "v" } }] }, true],
    ["257-byte key", { messages: [{ attributes: { ["k".repeat(257)]: "v" } }] }, false],
    ["key starting with goog", { messages: [{ attributes: { googfoo: "v" } }] }, false],
    ["1,024-byte value", { messages: [{ attributes: { k: "é".repeat(512) } }] }, true],
    ["1,025-byte value", { messages: [{ attributes: { k: `${"é".repeat(512)}x` } }] }, false],
    ["empty message", { messages: [{ data: "" }] }, false],
    ["message of 10 MiB", { messages: [{ data: Buffer.alloc(10 * MiB).toString("base64") }] }, true],
    ["message over 10 MiB", { messages: [{ data: Buffer.alloc(10 * MiB + 1).toString("base64") }] }, false],
    [
      "request over 10 MiB",
      {
        messages: [
          { data: Buffer.alloc(6 * MiB).toString("base64") },
          { data: Buffer.alloc(6 * MiB).toString("base64") },
        ],
      },
      false,
    ],
    ["unknown field", { messages: [{ data: b64("x"), extra: 1 }] }, false],
    ["invalid base64", { messages: [{ data: "not base64!" }] }, false],
    ["non-string attribute", { messages: [{ attributes: { n: 1 } }] }, false],
    ["invalid JSON", "{", false],
  ];
  it.each(cases)("%s -> accepted: %s", async (_name, body, accepted) => {
    const res = await publish("events", body);
    if (accepted) {
      expect(res.status).toBe(200);
      return;
    }
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { code: number; status: string; message: string } };
    expect(error).toMatchObject({ code: 400, status: "INVALID_ARGUMENT" });
    expect(fake.messages("events")).toEqual([]);
  });

  it("accepts the snake_case ordering_key as Google's JSON mapping does", async () => {
    const res = await publish("events", { messages: [{ data: b64("x"), ordering_key: "sk" }] });
    expect(res.status).toBe(200);
    expect(fake.messages("events")[0]?.orderingKey).toBe("sk");
  });

  it("fails injected calls with 503 UNAVAILABLE, then recovers", async () => {
    fake.failNext("UNAVAILABLE", 1);
    const failed = await publish("events", { messages: [{ data: b64("x") }] });
    expect(failed.status).toBe(503);
    expect(((await failed.json()) as { error: { status: string } }).error.status).toBe("UNAVAILABLE");
    expect((await publish("events", { messages: [{ data: b64("x") }] })).status).toBe(200);
    expect(fake.attempts().map((a) => a.code)).toEqual([14, 0]);
  });

  it("fails an injected ordering key once", async () => {
    fake.failOrderingKey("k", 13);
    const body = { messages: [{ data: b64("x"), orderingKey: "k" }] };
    expect((await publish("events", body)).status).toBe(500);
    expect((await publish("events", body)).status).toBe(200);
  });

  it("shares state with the gRPC face (one id sequence, one topic list)", async () => {
    fake.createTopic("shared");
    expect(fake.topics()).toContain("projects/p/topics/shared");
    const res = await publish("shared", { messages: [{ data: b64("x") }] });
    expect(res.status).toBe(200);
    expect(fake.state.messages("shared")).toHaveLength(1);
  });
});
