/**
 * The README's delivery examples are configs the gateway takes, and the
 * delivery settings are checked like every other key.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/config-error.js";
import { parseConfig } from "../../src/config/parse-config.js";
import { nodeTargets } from "../../src/entries/node/targets.js";
import { projectRoot } from "../support/cli-process.js";

const readme = readFileSync(join(projectRoot, "README.md"), "utf8");

function yamlBlock(heading: string): string {
  const start = readme.indexOf(heading);
  const found = /```yaml\n([\s\S]*?)```/.exec(readme.slice(start));
  if (start < 0 || found === null) throw new Error(`no yaml block under ${heading}`);
  return found[1] as string;
}

const parse = (text: string) => parseConfig(text, { catalog: nodeTargets, env: {}, readFile: () => "" });

const issuesOf = (text: string): string[] => {
  try {
    parse(text);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
};

describe("delivery settings in the config", () => {
  it("takes the README's retry, budget, isolation and dead-letter example", () => {
    const config = parse(yamlBlock("### Retries and time budgets"));
    expect(config.targets?.orders).toMatchObject({ retry: { maxAttempts: 5 }, maxInFlight: 500 });
    expect(config.routes?.[0]).toMatchObject({ timeoutMs: 3000, deadLetter: "orders-dead" });
  });

  it("takes the README's dedup example", () => {
    const text = `${yamlBlock("### Dedup")}targets: {m: {type: memory}}\nroutes: [{name: all, to: [m]}]\n`;
    expect(parse(text).delivery?.dedup).toMatchObject({ windowMs: 600000, store: { type: "memory" } });
  });

  it("names the key at fault in a bad delivery setting", () => {
    const base = "targets: {m: {type: memory}}\nroutes: [{name: all, to: [m]}]\n";
    expect(
      issuesOf(`${base.replace("type: memory", "type: memory, retry: {maxAttempts: 0}")}`).join("\n"),
    ).toMatch(/targets\.m\.retry\.maxAttempts/);
    expect(
      issuesOf(`${base.replace("type: memory", "type: memory, circuitBreaker: {coolDown: 5}")}`).join("\n"),
    ).toMatch(/targets\.m\.circuitBreaker/);
    expect(issuesOf(base.replace("to: [m]", "to: [m], timeoutMs: -1")).join("\n")).toMatch(
      /routes\[0\]\.timeoutMs/,
    );
    expect(issuesOf(`${base}delivery: {dedup: {store: {type: redis}}}\n`).join("\n")).toMatch(
      /delivery\.dedup\.store/,
    );
  });
});
