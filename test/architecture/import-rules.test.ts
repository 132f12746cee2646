/**
 * The layering rules, checked on every source file: the runtime-neutral core
 * imports no adapter, no entry, no `node:` module and no Node-only package
 * (statically or through `import()`, which bundlers follow); only the entries
 * (and the CLI, and the Node package root) compose.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../support/cli-process.js";

/** Packages that need Node built-ins (sockets, files, processes) and cannot be bundled for workerd. */
const NODE_ONLY_PACKAGES = [
  "@nats-io/transport-node",
  "@google-cloud/pubsub",
  "@grpc/grpc-js",
  "@grpc/proto-loader",
  "google-gax",
  "google-auth-library",
  "@azure/identity",
  "@azure/msal-node",
  "@azure/eventgrid",
  "@hono/node-server",
  "pino",
  "undici",
];

/** Where composition is allowed: the entries, the CLI and the Node package root. */
const COMPOSERS = [/^src\/entries\//, /^src\/cli\//, /^src\/index\.ts$/];

function sourceFiles(dir: string): string[] {
  return readdirSync(join(projectRoot, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => relative(projectRoot, join(entry.parentPath, entry.name)));
}

/** Every module specifier a file names: `from "x"`, `import "x"`, `import("x")`, `export … from "x"`. */
function importsOf(source: string): string[] {
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["']([^"']+)["']/g;
  return [...source.matchAll(pattern)].map((m) => m[1] as string);
}

/** A specifier as a project path (`src/...`, `adapters/...`) when relative, else the package name. */
function target(file: string, specifier: string): string {
  if (!specifier.startsWith(".")) return specifier;
  return relative(projectRoot, resolve(projectRoot, file, "..", specifier));
}

function violationsOfCore(file: string, source = readFileSync(join(projectRoot, file), "utf8")): string[] {
  return importsOf(source)
    .map((specifier) => ({ specifier, to: target(file, specifier) }))
    .filter(({ specifier, to }) => {
      if (specifier.startsWith("node:")) return true;
      if (NODE_ONLY_PACKAGES.some((name) => to === name || to.startsWith(`${name}/`))) return true;
      return /^(adapters\/|src\/entries\/|src\/cli\/)/.test(to) || to === "src/index.js";
    })
    .map(({ specifier }) => `${file} imports ${specifier}`);
}

describe("import rules", () => {
  it("finds static, re-exported and dynamic imports", () => {
    expect(
      importsOf(
        'import a from "./a.js";\nexport { b } from "../b.js";\nimport "side";\nconst c = () => import("./c.js");',
      ),
    ).toEqual(["./a.js", "../b.js", "side", "./c.js"]);
  });

  it("keeps the core free of adapters, entries, node: modules and Node-only packages", () => {
    const core = sourceFiles("src").filter((file) => !COMPOSERS.some((allowed) => allowed.test(file)));
    expect(core.length).toBeGreaterThan(50);
    expect(core.flatMap((file) => violationsOfCore(file))).toEqual([]);
  });

  it.each([
    'import { natsTarget } from "../../adapters/nats/index.js";',
    'const load = () => import("../entries/node/targets.js");',
    'import { readFile } from "node:fs/promises";',
    'import { connect } from "@nats-io/transport-node";',
  ])("flags a core file that does %s", (source) => {
    expect(violationsOfCore("src/route/example.ts", source)).toHaveLength(1);
  });
});
