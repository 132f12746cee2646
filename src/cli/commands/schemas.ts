/**
 * `ce-gateway schemas compile [--config FILE] [--out DIR]`: precompiles every
 * schema into one ES module (for Workers, which cannot generate code).
 * `ce-gateway schemas check [--config FILE] --against DIR|GIT-REF`: checks
 * the schemas against an earlier state (a folder or a git ref) under the
 * configured compatibility mode, for a producer's CI; exits 1 on a break.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { ConfigError } from "../../config/config-error.js";
import type { GatewayConfig } from "../../config/gateway-config.js";
import { fileSchemaStore } from "../../entries/node/file-schema-store.js";
import { schemaFolder } from "../../entries/node/schemas-config.js";
import type { SchemaVersion } from "../../schemas/schema-version.js";
import { checkCompatibility } from "../../tooling/compatibility/index.js";
import { standaloneModule } from "../../tooling/standalone-validators.js";
import { defineCommand, groupHelp, parseCommand } from "../command-spec.js";
import { CliExit, formatConfigError, loadConfigFile } from "../config-file.js";
import { startProgress } from "../progress.js";

export const schemasCheckSpec = defineCommand({
  name: ["schemas", "check"],
  usage: `usage: ce-gateway schemas check [--config FILE] --against DIR|GIT-REF
  Checks new schema versions against an earlier state under the configured compatibility mode;
  exit 1 on a breaking change or on a published version that changed.
  --config FILE      the config naming the schema folder (default: ./schemas)
  --against WHERE    the earlier state: a folder, or a git ref (origin/main, a tag)`,
  options: { config: { type: "string" }, against: { type: "string" } },
  positionals: false,
});

export const schemasCompileSpec = defineCommand({
  name: ["schemas", "compile"],
  usage: `usage: ce-gateway schemas compile [--config FILE] [--out DIR]
  Precompiles every schema into DIR/validators.js, for programs that cannot generate code (Workers).
  --config FILE   the config naming the schema folder (default: ./schemas)
  --out DIR       where to write validators.js (default ./schemas-compiled)`,
  options: { config: { type: "string" }, out: { type: "string" } },
  positionals: false,
});

const SCHEMAS_USAGE =
  "usage: ce-gateway schemas compile [--config FILE] [--out DIR] | schemas check [--config FILE] --against DIR|GIT-REF";

function configAt(file: string | undefined): { config: GatewayConfig; baseDir: string } {
  if (file === undefined) return { config: {}, baseDir: process.cwd() };
  try {
    return { config: loadConfigFile(file), baseDir: dirname(resolve(file)) };
  } catch (error) {
    if (error instanceof ConfigError) throw new CliExit(1, formatConfigError(file, error));
    throw error;
  }
}

/** The schema folder as it was at a git ref, extracted to a temporary folder. */
function checkout(ref: string, dir: string): string {
  const top = execFileSync("git", ["rev-parse", "--show-toplevel"], { cwd: dir, encoding: "utf8" }).trim();
  const path = relative(top, dir);
  const out = mkdtempSync(join(tmpdir(), "ce-gateway-schemas-"));
  const files = execFileSync("git", ["ls-tree", "-r", "--name-only", ref, "--", path], {
    cwd: top,
    encoding: "utf8",
  })
    .split("\n")
    .filter(Boolean);
  for (const file of files) {
    const target = join(out, relative(path, file));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, execFileSync("git", ["show", `${ref}:${file}`], { cwd: top }));
  }
  return out;
}

async function check(args: string[]): Promise<void> {
  const { values } = parseCommand(schemasCheckSpec, args);
  if (values.against === undefined)
    throw new CliExit(2, "usage: ce-gateway schemas check [--config FILE] --against DIR|GIT-REF");
  const { config, baseDir } = configAt(values.config);
  const dir = schemaFolder(config, baseDir);
  const mode = config.schemas?.compatibility ?? "BACKWARD";
  const againstDir = existsSync(values.against) ? resolve(values.against) : checkout(values.against, dir);
  const now = await fileSchemaStore(dir).load();
  const before = await fileSchemaStore(againstDir).load();
  const key = (v: SchemaVersion) => `${v.eventType}/${v.version}`;
  const known = new Map(before.map((v) => [key(v), v]));
  const problems: string[] = [];
  const progress = startProgress("schema versions", now.length);
  for (const version of now.sort((a, b) => a.version - b.version)) {
    progress.advance(1, key(version));
    const earlier = known.get(key(version));
    if (earlier !== undefined) {
      if (JSON.stringify(earlier.schema) !== JSON.stringify(version.schema)) {
        problems.push(`${key(version)}: a published version changed; add a new version instead`);
      }
      continue;
    }
    const previous = now
      .filter((v) => v.eventType === version.eventType && v.version < version.version)
      .map((v) => v.schema);
    const result = checkCompatibility(
      previous,
      version.schema,
      mode,
      (ref) => now.find((v) => v.id === ref.split("#")[0])?.schema,
    );
    for (const change of [...result.breaking, ...result.undecidable]) {
      problems.push(`${key(version)}: ${change.path || "/"}: ${change.message} (${change.rule})`);
    }
  }
  progress.stop();
  if (problems.length > 0)
    throw new CliExit(1, `${problems.length} breaking change(s) under ${mode}:\n${problems.join("\n")}`);
  process.stdout.write(
    `${now.length} schema version(s) checked: ${mode} compatible with ${values.against}\n`,
  );
}

async function compile(args: string[]): Promise<void> {
  const { values } = parseCommand(schemasCompileSpec, args);
  const { config, baseDir } = configAt(values.config);
  const versions = await fileSchemaStore(schemaFolder(config, baseDir)).load();
  const out = resolve(values.out ?? "schemas-compiled");
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "validators.js"), standaloneModule(versions));
  process.stdout.write(`${versions.length} schema version(s) compiled into ${join(out, "validators.js")}\n`);
}

export async function schemasCommand(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  if (sub === "compile") return compile(rest);
  if (sub === "check") return check(rest);
  groupHelp(SCHEMAS_USAGE, sub);
  throw new CliExit(2, SCHEMAS_USAGE);
}
