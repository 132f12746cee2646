/**
 * Hot reload under load: every request succeeds while the config is swapped
 * by file change and SIGHUP, and an invalid config leaves the current one in
 * place. The test waits on the generation counter, never on timing.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningCli, startCli } from "../support/cli-process.js";

const config = (routeTo: string) => `targets:
  out: { type: stdout }
  other: { type: stdout }
routes:
  - name: all
    filters: [{ prefix: { type: "com." } }]
    to: [${routeTo}]
`;

let running: RunningCli | undefined;
afterEach(async () => {
  await running?.stop("SIGKILL");
});

async function generation(url: string): Promise<number> {
  const status = (await (await fetch(`${url}/status`)).json()) as { generation: number };
  return status.generation;
}

describe("config reload", () => {
  it("swaps configs under load without failing a request", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ce-gateway-reload-"));
    const file = join(dir, "gateway.yaml");
    writeFileSync(file, config("out"));
    running = await startCli(["serve", "--config", file, "--port", "0"]);
    const cli = running;
    expect(await generation(cli.url)).toBe(1);

    const statuses: number[] = [];
    let sending = true;
    let sequence = 0;
    const load = async () => {
      while (sending) {
        const id = `e-${sequence++}`;
        const response = await fetch(`${cli.url}/events`, {
          method: "POST",
          headers: {
            "ce-specversion": "1.0",
            "ce-id": id,
            "ce-source": "/load",
            "ce-type": "com.example.load",
          },
        });
        statuses.push(response.status);
        await response.arrayBuffer();
      }
    };
    const loops = [load(), load(), load(), load()];

    const waitFor = async (wanted: number) => {
      await expect.poll(() => generation(cli.url), { timeout: 10_000, interval: 20 }).toBe(wanted);
    };
    const sentBefore = () => statuses.length;

    writeFileSync(file, config("other"));
    await waitFor(2);
    cli.child.kill("SIGHUP");
    await waitFor(3);
    writeFileSync(file, "targets: { out: { type: stdout } }\nroutes: [{ name: all, to: [missing] }]\n");
    await expect.poll(() => cli.stderr(), { timeout: 10_000 }).toContain("config reload failed");
    const mark = sentBefore();
    await expect.poll(() => statuses.length, { timeout: 10_000 }).toBeGreaterThan(mark + 20);
    expect(await generation(cli.url)).toBe(3);

    sending = false;
    await Promise.all(loops);
    expect(statuses.length).toBeGreaterThan(50);
    expect(statuses.filter((s) => s !== 202)).toEqual([]);
    await expect.poll(() => cli.stdout().trim().split("\n").length).toBe(statuses.length);
    expect(cli.stderr()).toContain('"issues":[{"path":"routes[0].to[0]"');
  });
});

describe("config reload when the file goes away", () => {
  it("logs the failure and keeps serving on the current config", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ce-gateway-gone-"));
    const file = join(dir, "gateway.yaml");
    writeFileSync(file, config("out"));
    running = await startCli(["serve", "--config", file, "--port", "0"]);
    const cli = running;
    rmSync(file);
    await expect.poll(() => cli.stderr(), { timeout: 10_000 }).toContain("config reload failed");
    cli.child.kill("SIGHUP");
    await new Promise((r) => setTimeout(r, 200));
    expect(cli.child.exitCode).toBeNull();
    const response = await fetch(`${cli.url}/events`, {
      method: "POST",
      headers: { "ce-specversion": "1.0", "ce-id": "still", "ce-source": "/s", "ce-type": "com.example.x" },
    });
    expect(response.status).toBe(202);
    expect(await generation(cli.url)).toBe(1);
  });
});
