/**
 * `--help` for the CLI and every command: exit 0, and every option each
 * command's parser accepts is in its help and in the top-level help. The
 * commands and their options are read from the code (each command module's
 * exported spec, which its parser uses), so a new option without help fails.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import type { CommandSpec } from "../../src/cli/command-spec.js";
import { projectRoot } from "../support/cli-process.js";

const cli = (args: string[]) =>
  spawnSync(process.execPath, [join(projectRoot, "bin/ce-gateway.js"), ...args], {
    encoding: "utf8",
    cwd: projectRoot,
  });

const commandsDir = join(projectRoot, "src/cli/commands");
const modules: Record<string, Record<string, unknown>> = {};
for (const file of readdirSync(commandsDir).filter((f) => f.endsWith(".ts")))
  modules[file] = await import(pathToFileURL(join(commandsDir, file)).href);

const isSpec = (value: unknown): value is CommandSpec =>
  typeof value === "object" &&
  value !== null &&
  Array.isArray((value as CommandSpec).name) &&
  typeof (value as CommandSpec).usage === "string" &&
  typeof (value as CommandSpec).options === "object";

const specs = Object.values(modules).flatMap((module) => Object.values(module).filter(isSpec));
/** The modules that run a command (export a `...Command` function). */
const commandModules = Object.entries(modules).filter(([, module]) =>
  Object.keys(module).some((name) => name.endsWith("Command")),
);

const topLevel = cli(["--help"]);

/** The top-level help's paragraphs about one command (`ce-gateway routes explain ...` and what follows). */
function topLevelAbout(name: readonly string[]): string {
  return topLevel.stdout
    .split(/\n(?= {2}ce-gateway )/)
    .filter((paragraph) => paragraph.trimStart().startsWith(`ce-gateway ${name.join(" ")}`))
    .join("\n");
}

describe("ce-gateway --help", () => {
  it("exits 0 and prints the usage", () => {
    expect(topLevel.status).toBe(0);
    expect(topLevel.stdout).toMatch(/^Usage:/);
  });

  it("finds a spec in every command module", () => {
    expect(commandModules.length).toBeGreaterThanOrEqual(10);
    for (const [path, module] of commandModules)
      expect(Object.values(module).some(isSpec), `${path} exports no command spec`).toBe(true);
  });

  it.each(specs.map((spec) => [spec.name.join(" "), spec] as const))(
    "%s --help lists every option it accepts, as does the top-level help",
    (_name, spec) => {
      const result = cli([...spec.name, "--help"]);
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
      expect(result.stdout).toContain(`ce-gateway ${spec.name.join(" ")}`);
      const about = topLevelAbout(spec.name);
      expect(about, `the top-level help has no line for ${spec.name.join(" ")}`).not.toBe("");
      for (const option of Object.keys(spec.options)) {
        expect(result.stdout, `--${option} in ${spec.name.join(" ")} --help`).toContain(`--${option}`);
        expect(about, `--${option} in the top-level help`).toContain(`--${option}`);
      }
    },
  );

  it.each([["config"], ["schemas"], ["routes"], ["auth"], ["deadletter"]])(
    "%s --help prints the group's usage, exit 0",
    (group) => {
      const result = cli([group, "--help"]);
      expect(result.status).toBe(0);
      expect(result.stdout).toContain(`ce-gateway ${group}`);
    },
  );

  it("an unknown option is a usage error (exit 2), not help", () => {
    const result = cli(["send", "http://127.0.0.1:1/", "--type", "t", "--source", "/s", "--colour"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("--colour");
  });
});
