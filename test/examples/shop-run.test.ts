/**
 * examples/shop/run.sh, as a new user runs it: it starts nats-server and the
 * gateway, sends the events with `ce-gateway send`, and the orders reach NATS.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { connect } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeNatsMessage } from "../../src/bindings/nats/decode.js";
import { freePort, projectRoot } from "../support/cli-process.js";
import { type NatsServer, startNatsServer } from "../support/nats-server.js";

async function runShop(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn("bash", [join(projectRoot, "examples/shop/run.sh"), "--once"], {
    cwd: projectRoot,
    env: {
      ...process.env,
      SHOP_PORT: String(await freePort()),
      SHOP_ADMIN_PORT: String(await freePort()),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  child.stderr.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  return { code, output };
}

let nats: NatsServer;
beforeAll(async () => {
  nats = await startNatsServer();
}, 30_000);
afterAll(() => nats?.dispose());

describe("examples/shop/run.sh", () => {
  it("starts its own nats-server and the gateway; the EU orders arrive on NATS, as tail shows", async () => {
    const { code, output } = await runShop({});
    expect(code, output).toBe(0);
    const tailed = output.match(
      /^● com\.example\.order\.created .* on shop\.com\.example\.order\.created$/gm,
    );
    expect(tailed).toHaveLength(21);
    expect(output).toContain("all 21 orders reached NATS");
    expect(output).toContain("26 events in the audit log"); // 21 EU and 5 US orders
    expect(output).toMatch(/^422 Unprocessable Entity$/m);
  }, 90_000);

  it("with NATS_URL, publishes to that server: a subscriber of ours receives the 21 EU orders", async () => {
    const client = await connect({ servers: nats.url });
    const received: { source: string; data: unknown }[] = [];
    const subscription = client.subscribe("shop.>");
    const collecting = (async () => {
      for await (const message of subscription) {
        const event = decodeNatsMessage(message.headers ? [...message.headers] : [], message.data);
        received.push({ source: event.attributes.source, data: JSON.parse(event.data?.text() ?? "null") });
      }
    })();
    await client.flush();
    const { code, output } = await runShop({ NATS_URL: nats.url });
    expect(code, output).toBe(0);
    expect(output).not.toContain("nats-server on"); // it used ours
    await expect.poll(() => received.length).toBe(21);
    expect(received.filter((e) => e.source === "/shop/eu/berlin")).toHaveLength(1);
    expect(received.filter((e) => e.source === "/shop/eu/paris")).toHaveLength(20);
    expect(received[0]?.data).toEqual({
      orderId: 1001,
      total: { amount: 25.5, currency: "EUR" },
      channel: "web",
    });
    await client.drain();
    await collecting;
  }, 90_000);
});
