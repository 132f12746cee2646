/**
 * The fake Pub/Sub's gRPC face, driven by the real `@google-cloud/pubsub`
 * client (6.3.0) over real gRPC: topic admin, publish with attributes and
 * ordering keys, the service's error codes, and failure injection.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakePubsub, startFakePubsub } from "../support/fake-pubsub/index.js";

// Before the client library loads: no GCE metadata-server probing, no stray emulator.
process.env.METADATA_SERVER_DETECTION = "none";
delete process.env.PUBSUB_EMULATOR_HOST;
const { PubSub } = await import("@google-cloud/pubsub");

type Client = InstanceType<typeof PubSub>;

function grpcError(error: unknown): { code: number; details: string } {
  const e = error as { code?: unknown; details?: unknown };
  return { code: Number(e.code), details: String(e.details) };
}

describe("fake Pub/Sub over gRPC with @google-cloud/pubsub", () => {
  let fake: FakePubsub;
  let pubsub: Client;

  beforeAll(async () => {
    fake = await startFakePubsub({ topics: ["existing"] });
    pubsub = new PubSub({ projectId: "p", apiEndpoint: fake.grpcHost, emulatorMode: true });
  });
  afterAll(async () => {
    await pubsub?.close();
    await fake?.close();
  });
  beforeEach(() => fake.reset());

  it("creates a topic, publishes, and records data, attributes and ordering key", async () => {
    const [topic] = await pubsub.createTopic("events");
    expect(topic.name).toBe("projects/p/topics/events");
    expect(fake.topics()).toContain("projects/p/topics/events");
    const [exists] = await pubsub.topic("events").exists();
    expect(exists).toBe(true);

    const ordered = pubsub.topic("events", { messageOrdering: true });
    const id1 = await ordered.publishMessage({
      data: Buffer.from("hello"),
      attributes: { "ce-id": "1", "content-type": "text/plain" },
      orderingKey: "k1",
    });
    const id2 = await ordered.publishMessage({ data: Buffer.from([0, 255]), orderingKey: "k1" });
    expect(Number(id2)).toBeGreaterThan(Number(id1));

    const [first, second] = fake.messages("events");
    expect(first).toMatchObject({
      topic: "projects/p/topics/events",
      attributes: { "ce-id": "1", "content-type": "text/plain" },
      orderingKey: "k1",
      messageId: id1,
    });
    expect(new TextDecoder().decode(first?.data)).toBe("hello");
    expect(first?.publishTime).toBeInstanceOf(Date);
    expect([...(second?.data ?? [])]).toEqual([0, 255]);
    expect(fake.attempts().every((a) => a.transport === "grpc" && a.code === 0)).toBe(true);
  });

  it("answers ALREADY_EXISTS for a second CreateTopic", async () => {
    const error = await pubsub.createTopic("existing").catch((e: unknown) => e);
    expect(grpcError(error)).toEqual({
      code: 6,
      details: "Resource already exists in the project (resource=existing).",
    });
  });

  it("answers NOT_FOUND for an unknown topic", async () => {
    const error = await pubsub
      .topic("nope")
      .publishMessage({ data: Buffer.from("x") })
      .catch((e: unknown) => e);
    expect(grpcError(error)).toEqual({ code: 5, details: "Resource not found (resource=nope)." });
    const [exists] = await pubsub.topic("nope").exists();
    expect(exists).toBe(false);
  });

  it("answers INVALID_ARGUMENT for more than 100 attributes and records nothing", async () => {
    const attributes = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`a${i}`, "v"]));
    const error = await pubsub
      .topic("existing")
      .publishMessage({ data: Buffer.from("x"), attributes })
      .catch((e: unknown) => e);
    expect(grpcError(error).code).toBe(3);
    expect(grpcError(error).details).toContain("attribute_count");
    expect(fake.messages("existing")).toEqual([]);
  });

  it("answers INVALID_ARGUMENT for an empty message and for a message over 10 MB", async () => {
    const empty = await pubsub
      .topic("existing")
      .publishMessage({ data: Buffer.alloc(0) })
      .catch((e: unknown) => e);
    expect(grpcError(empty).code).toBe(3);
    const big = await pubsub
      .topic("existing")
      .publishMessage({ data: Buffer.alloc(10 * 1024 * 1024 + 1, 97) })
      .catch((e: unknown) => e);
    expect(grpcError(big).code).toBe(3);
    expect(grpcError(big).details).toContain("10485760");
  });

  it("fails the next calls with an injected UNAVAILABLE, which the client retries", async () => {
    fake.failNext("UNAVAILABLE", 2);
    const id = await pubsub.topic("existing").publishMessage({ data: Buffer.from("retried") });
    expect(fake.messages("existing").map((m) => m.messageId)).toEqual([id]);
    expect(fake.attempts().map((a) => a.code)).toEqual([14, 14, 0]);
  });

  it("fails a publish carrying an injected ordering key once", async () => {
    fake.failOrderingKey("k2", "FAILED_PRECONDITION", "boom");
    const topic = pubsub.topic("existing", { messageOrdering: true });
    const error = await topic.publishMessage({ data: Buffer.from("a"), orderingKey: "k2" }).catch((e) => e);
    expect(grpcError(error)).toEqual({ code: 9, details: "boom" });
    topic.resumePublishing("k2");
    await topic.publishMessage({ data: Buffer.from("b"), orderingKey: "k2" });
    expect(fake.messages("existing").map((m) => new TextDecoder().decode(m.data))).toEqual(["b"]);
  });

  it("answers UNIMPLEMENTED for other Publisher methods", async () => {
    const error = await pubsub.getTopics().catch((e: unknown) => e);
    expect(grpcError(error).code).toBe(12);
  });
});
