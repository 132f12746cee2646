/**
 * The README's quickstart, run as written: `ce-gateway serve` with the
 * embedded default from the project's root (so the top-level `schemas/`
 * folder is the registry), then every curl command of the quickstart, each
 * expected to answer the status its comment states.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot, type RunningCli, runCli, startCli } from "../support/cli-process.js";

const run = promisify(execFile);

interface QuickstartCommand {
  readonly script: string;
  readonly expectedStatus: number;
}

/** The `sh` blocks with a curl command between "## Quickstart" and the next section. */
function quickstartCommands(): QuickstartCommand[] {
  const readme = readFileSync(join(projectRoot, "README.md"), "utf8");
  const start = readme.indexOf("## Quickstart");
  const section = readme.slice(start, readme.indexOf("\n## ", start + 1));
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
  return blocks
    .filter((block) => block.includes("curl "))
    .map((script) => {
      const status = /\(answers (\d{3})\)/.exec(script)?.[1];
      if (status === undefined)
        throw new Error(`a quickstart curl block does not say what it answers:\n${script}`);
      return { script, expectedStatus: Number(status) };
    });
}

describe("the README quickstart", () => {
  let gateway: RunningCli;
  beforeAll(async () => {
    gateway = await startCli(["serve", "--port", "0"]);
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  it("starts with the top-level schemas/ folder as its registry and says so", () => {
    const listening = gateway
      .stderr()
      .split("\n")
      .find((line) => line.includes("ce-gateway listening"));
    expect(JSON.parse(listening ?? "{}")).toMatchObject({
      config: "embedded default",
      schemas: join(projectRoot, "schemas"),
    });
  });

  const commands = quickstartCommands();
  it("has the three content modes and a refused order", () => {
    expect(commands.map((c) => c.expectedStatus).sort()).toEqual([202, 202, 202, 422]);
  });

  it.each(commands.map((c) => [c.script.split("\n")[0], c] as const))("%s", async (_title, command) => {
    const script = command.script.replaceAll("http://localhost:8080", gateway.url);
    const { stdout } = await run("bash", ["-euo", "pipefail", "-c", script]);
    const status = Number(/^HTTP\/[\d.]+ (\d{3})/.exec(stdout)?.[1]);
    expect(status, stdout).toBe(command.expectedStatus);
    if (status === 422) {
      const problem = JSON.parse(stdout.slice(stdout.indexOf("\r\n\r\n") + 4));
      expect(problem.type).toMatch(/contract-violation$/);
      expect(problem.errors).toContainEqual(expect.objectContaining({ pointer: "/data/total" }));
    }
  });

  it("prints each accepted event on stdout, data bytes unchanged, and logs only JSON lines", async () => {
    await expect.poll(() => gateway.stdout().trim().split("\n").length, { timeout: 10_000 }).toBe(4);
    const lines = gateway.stdout().trim().split("\n");
    const events = lines.map((line) => JSON.parse(line));
    expect(events.map((e) => e.id)).toEqual(["order-1001", "order-1002", "a-1", "a-2"]);
    expect(events[0].region).toBe("Euro €");
    expect(lines[0]).toContain('"data":{"orderId": 1001, "total": 25.50}');
    for (const line of gateway.stderr().trim().split("\n")) expect(() => JSON.parse(line)).not.toThrow();
  });
});

describe("ce-gateway test from the project's root", () => {
  it("runs the examples in schemas/ against the embedded default and passes them all", async () => {
    const cli = runCli(["test"]);
    const code = await cli.exited;
    const { stdout } = cli.output();
    expect(stdout).toMatch(
      /✓ com\.example\.order\.created\/examples\/good-order\.json: valid, delivered to \[stdout\]/,
    );
    expect(stdout).toMatch(
      /✓ com\.example\.order\.created\/examples\/total-as-string\.json: 422 contract-violation/,
    );
    expect(stdout).toMatch(/^\d+ passed, 0 failed$/m);
    expect(code).toBe(0);
  });
});
