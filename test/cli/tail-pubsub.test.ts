/**
 * `ce-gateway tail --pubsub`: events published through the gateway to
 * Google's Pub/Sub emulator, read back from a subscription by the official
 * client (PUBSUB_EMULATOR_HOST) and printed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli-process.js";
import {
  type PubsubEmulator,
  pubsubEmulatorMissing,
  startPubsubEmulator,
} from "../support/pubsub-emulator.js";
import { publishTailEvents } from "../support/tail-fixture.js";

const PROJECT = "tail-project";
let emulator: PubsubEmulator;

if (pubsubEmulatorMissing !== undefined) console.warn(`skipping tail --pubsub: ${pubsubEmulatorMissing}`);

describe.skipIf(pubsubEmulatorMissing !== undefined)("ce-gateway tail --pubsub (Google's emulator)", () => {
  beforeAll(async () => {
    emulator = await startPubsubEmulator();
    await emulator.createTopic(PROJECT, "orders");
    await emulator.createSubscription(PROJECT, "tail-readable", "orders");
    await emulator.createSubscription(PROJECT, "tail-json", "orders");
  }, 60_000);
  afterAll(() => emulator?.stop());

  it("prints each CloudEvent the subscription receives, readably and as JSON, then exits at --count", async () => {
    const env = { PUBSUB_EMULATOR_HOST: emulator.host };
    const subscription = (name: string) => `projects/${PROJECT}/subscriptions/${name}`;
    // The subscriptions exist: what is published now waits for tail, whenever it connects.
    const published = await publishTailEvents({
      type: "pubsub",
      projectId: PROJECT,
      topic: "orders",
      apiEndpoint: emulator.host,
    });
    expect(published).toEqual([202, 202]);

    const readable = runCli(["tail", "--pubsub", subscription("tail-readable"), "--count", "2"], env);
    const json = runCli(["tail", "--pubsub", subscription("tail-json"), "--count", "2", "--json"], env);
    expect(await readable.exited, readable.output().stderr).toBe(0);
    expect(await json.exited, json.output().stderr).toBe(0);
    expect(readable.output().stderr).toContain(`on the emulator at ${emulator.host}`);
    const text = readable.output().stdout;
    expect(text).toContain(`● t.binary  id=one  source=/test/source  on ${subscription("tail-readable")}`);
    expect(text).toContain('region="eu"');
    expect(text).toContain('{"n":1.0}');
    expect(text).toContain("● t.structured  id=two");
    const ids = json
      .output()
      .stdout.trim()
      .split("\n")
      .map((line) => JSON.parse(line).id)
      .sort();
    expect(ids).toEqual(["one", "two"]);
    // Acknowledged: nothing is left on the subscription.
    expect(await emulator.pull(PROJECT, "tail-json", "orders")).toEqual([]);
  }, 60_000);

  it("refuses a name that is not a subscription's (exit 2)", async () => {
    const run = runCli(["tail", "--pubsub", "orders"]);
    expect(await run.exited).toBe(2);
    expect(run.output().stderr).toContain("projects/PROJECT/subscriptions/NAME");
  });
});
