/**
 * `ce-gateway tail --gateway`: a running gateway's own live stream, read from
 * its admin listener with the admin token, printed as tail prints events:
 * each event with its routes and deliveries, refusals, the CESQL filter
 * applied by the gateway, and --json lines.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli-process.js";
import { CONSOLE_TOKEN, type ConsoleGateway, startConsoleGateway } from "../support/console-gateway.js";

let gw: ConsoleGateway;

beforeAll(async () => {
  gw = await startConsoleGateway();
}, 60_000);
afterAll(() => gw?.stop());

/** Starts a tail and waits until it is reading the stream. */
async function tail(args: string[], env: Record<string, string> = {}) {
  const run = runCli(["tail", "--gateway", gw.adminUrl, ...args], env);
  await expect.poll(() => run.output().stderr, { timeout: 15_000 }).toMatch(/tailing the gateway at/);
  return run;
}

describe("ce-gateway tail --gateway", () => {
  it("prints each event passing through with its routes and deliveries, and refused requests", async () => {
    const run = await tail(["--token", CONSOLE_TOKEN, "--count", "2"]);
    expect(await gw.post({ id: "t-1", data: { orderId: 11 } })).toBe(202);
    const refused = await fetch(`${gw.url}/events`, {
      method: "POST",
      headers: { "content-type": "application/cloudevents+json" },
      body: '{"specversion":"1.0","id":"broken"}',
    });
    expect(refused.status).toBe(400);
    expect(await gw.post({ id: "t-2", source: "/audit/login", type: "com.example.user.signed-in" })).toBe(
      202,
    );
    expect(await run.exited).toBe(0);
    const text = run.output().stdout;
    expect(text).toContain("● com.example.order.created  id=t-1  source=/shop  on routes orders");
    expect(text).toContain('{"orderId":11}');
    expect(text).toMatch(/→ out: acked, 1 attempt\(s\)/);
    expect(text).toMatch(/✗ request \S+ refused 400/);
    expect(text).toContain("● com.example.user.signed-in  id=t-2  source=/audit/login  on routes audit");
  }, 30_000);

  it("filters on the gateway's side with CESQL, prints JSON lines, and takes the token from ADMIN_TOKEN", async () => {
    const run = await tail(["--sql", "source LIKE '/audit%'", "--json", "--count", "1"], {
      ADMIN_TOKEN: CONSOLE_TOKEN,
    });
    expect(await gw.post({ id: "hidden-1" })).toBe(202);
    expect(await gw.post({ id: "shown-1", source: "/audit/x", type: "com.example.user.signed-in" })).toBe(
      202,
    );
    expect(await run.exited).toBe(0);
    const lines = run.output().stdout.trim().split("\n");
    expect(lines.map((line) => JSON.parse(line).id)).toEqual(["shown-1"]);
  }, 30_000);

  it("says what is wrong without a token, with a wrong one, and with a CESQL expression that does not parse", async () => {
    const none = runCli(["tail", "--gateway", gw.adminUrl], { ADMIN_TOKEN: "" });
    expect(await none.exited).toBe(2);
    expect(none.output().stderr).toMatch(/needs the admin token/);
    const wrong = runCli(["tail", "--gateway", gw.adminUrl, "--token", "not-the-token"]);
    expect(await wrong.exited).toBe(1);
    expect(wrong.output().stderr).toMatch(/answered 401/);
    const bad = runCli(["tail", "--gateway", gw.adminUrl, "--token", CONSOLE_TOKEN, "--sql", "source LIKE"]);
    expect(await bad.exited).toBe(1);
    expect(bad.output().stderr).toMatch(/answered 400.*CESQL/);
  }, 30_000);
});
