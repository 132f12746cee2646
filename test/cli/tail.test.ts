/**
 * `ce-gateway tail`: events published through the gateway to NATS, printed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli-process.js";
import { type NatsServer, startNatsServer } from "../support/nats-server.js";
import { publishTailEvents } from "../support/tail-fixture.js";

let server: NatsServer;
beforeAll(async () => {
  server = await startNatsServer();
}, 30_000);
afterAll(() => server?.dispose());

describe("ce-gateway tail", () => {
  it("prints each CloudEvent arriving on the subject, readably and as JSON", async () => {
    const readable = runCli(["tail", "--nats", server.url, "--subject", "tail.>", "--count", "2"]);
    const json = runCli(["tail", "--nats", server.url, "--subject", "tail.>", "--count", "2", "--json"]);
    await expect
      .poll(() => readable.output().stderr + json.output().stderr, { timeout: 15_000 })
      .toMatch(/tailing tail.>[\s\S]*tailing tail.>/);
    expect(await publishTailEvents({ type: "nats", url: server.url, subject: "tail.{type}" })).toEqual([
      202, 202,
    ]);
    expect(await readable.exited).toBe(0);
    expect(await json.exited).toBe(0);
    const text = readable.output().stdout;
    expect(text).toContain("● t.binary  id=one  source=/test/source  on tail.t.binary");
    expect(text).toContain('region="eu"');
    expect(text).toContain('{"n":1.0}');
    expect(text).toContain("● t.structured  id=two");
    const lines = json
      .output()
      .stdout.trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((e) => e.id)).toEqual(["one", "two"]);
  });
});
