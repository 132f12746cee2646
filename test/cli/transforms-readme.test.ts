/**
 * The README's Transforms section, run as written: its config served by the
 * real command, its curl command, the event it says is printed, and the
 * `config check` error it shows for an unquoted constant.
 */
import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot, type RunningCli, startCli } from "../support/cli-process.js";

const run = promisify(execFile);

function section(): string {
  const readme = readFileSync(join(projectRoot, "README.md"), "utf8");
  const start = readme.indexOf("### Transforms");
  return readme.slice(start, readme.indexOf("\n### ", start + 1));
}

const block = (text: string, language: string, containing = ""): string => {
  const found = [...text.matchAll(/```(\w*)\n([\s\S]*?)```/g)].find(
    (m) => m[1] === language && (m[2] ?? "").includes(containing),
  );
  if (found === undefined) throw new Error(`no ${language || "plain"} block with "${containing}"`);
  // A block inside a list item is indented with it.
  const lines = (found[2] ?? "").split("\n");
  const indent = Math.min(...lines.filter((l) => l.trim() !== "").map((l) => /^ */.exec(l)?.[0].length ?? 0));
  return lines.map((l) => l.slice(indent)).join("\n");
};

describe("the README's Transforms section", () => {
  const text = section();
  const dir = mkdtempSync(join(tmpdir(), "ce-gateway-transforms-"));
  const config = join(dir, "transforms.yaml");
  writeFileSync(config, block(text, "yaml"));
  let gateway: RunningCli;
  beforeAll(async () => {
    gateway = await startCli(["serve", "--config", config, "--port", "0"]);
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  it("answers the curl command 202 and prints the event the route sends", async () => {
    const script = block(text, "sh", "curl ").replaceAll("http://localhost:8080", gateway.url);
    expect(script).toContain("(answers 202)");
    const { stdout } = await run("bash", ["-euo", "pipefail", "-c", script]);
    expect(/^HTTP\/[\d.]+ (\d{3})/.exec(stdout)?.[1], stdout).toBe("202");
    const printed = block(text, "json", '"specversion"').trim();
    await expect.poll(() => gateway.stdout().trim(), { timeout: 10_000 }).toBe(printed);
  });

  it("shows the error config check gives for an unquoted constant", () => {
    const unquoted = join(dir, "unquoted", "transforms.yaml");
    const written = block(text, "yaml").replace(
      `"'com.example.analytics.order'"`,
      "com.example.analytics.order",
    );
    expect(written).not.toBe(block(text, "yaml"));
    spawnSync("mkdir", ["-p", join(dir, "unquoted")]);
    writeFileSync(unquoted, written);
    const result = spawnSync(
      process.execPath,
      [join(projectRoot, "bin/ce-gateway.js"), "config", "check", unquoted],
      {
        encoding: "utf8",
      },
    );
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      block(text, "", "transforms.yaml:").trim().replace("transforms.yaml", unquoted),
    );
  });
});
