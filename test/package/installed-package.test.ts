/**
 * The package as someone who installs it gets it: `npm pack`, the tarball
 * installed into an empty project outside the repository (so nothing resolves
 * from the repository's node_modules), then every export imported, the README's
 * library example run, and the `ce-gateway` command asked its version.
 * The exports come from package.json, so a new export is covered without
 * touching this file.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot } from "../support/cli-process.js";

const run = promisify(execFile);

/** An export for every runtime (`default`), or for Workers only (`workerd` and `worker` conditions). */
type ExportTargets =
  | { types: string; default: string }
  | { workerd: { types: string; default: string }; worker: { types: string; default: string } };

const forNode = (targets: ExportTargets) => ("default" in targets ? targets : undefined);
const forWorkers = (targets: ExportTargets) => ("workerd" in targets ? targets.workerd : targets);

interface PackageJson {
  version: string;
  exports: Record<string, ExportTargets>;
  dependencies: Record<string, string>;
}
const pkg = JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8")) as PackageJson;
const specifierOf = (subpath: string) => `ce-gateway${subpath.slice(1)}`;

/** This Node first on PATH, so npx and the bin's `#!/usr/bin/env node` run under it too; no NODE_PATH. */
const { NODE_PATH: _ignored, ...inherited } = process.env;
const childEnv = { ...inherited, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ""}` };

let workDir: string;
let consumer: string;
let packedFiles: string[];

/** Runs an ES module in the consumer project and returns its stdout. */
async function runInConsumer(source: string): Promise<string> {
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", source], {
    cwd: consumer,
    env: childEnv,
  });
  return stdout;
}

/** The last stdout line, where each script below prints its result as JSON. */
const resultOf = (stdout: string) => JSON.parse(stdout.trimEnd().split("\n").at(-1) ?? "null");

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), "ce-gateway-package-"));
  // Packs what `npm run build` (run before every test run) built: the prepare script would
  // rebuild dist/ in place while other test files read it.
  const { stdout } = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", workDir], {
    cwd: projectRoot,
    env: childEnv,
  });
  const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  if (packed === undefined) throw new Error(`npm pack reported nothing: ${stdout}`);
  packedFiles = packed.files.map((f) => f.path);

  consumer = join(workDir, "consumer");
  mkdirSync(consumer);
  writeFileSync(
    join(consumer, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module" }),
  );
  // hono is named too: the consumer's own app imports it, as in the README.
  await run(
    "npm",
    [
      "install",
      "--no-audit",
      "--no-fund",
      "--prefer-offline",
      join(workDir, packed.filename),
      `hono@${pkg.dependencies.hono}`,
    ],
    { cwd: consumer, env: childEnv },
  );
}, 300_000);

afterAll(() => {
  if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
});

describe("the packed package", () => {
  it("holds the built code, the command and the docs, and no tests or TypeScript sources", () => {
    const outside = packedFiles.filter(
      (path) =>
        !/^(dist\/(src|adapters)\/|bin\/|docs\/)/.test(path) && !["package.json", "README.md"].includes(path),
    );
    expect(outside).toEqual([]);
    expect(packedFiles.filter((path) => /(^|\/)test\/|\.test\.|(?<!\.d)\.ts$/.test(path))).toEqual([]);
    expect(packedFiles).toContain("bin/ce-gateway.js");
  });
});

describe.each(Object.entries(pkg.exports))("the export %s", (subpath, targets) => {
  it("is built from a source file in the repository", () => {
    // A stale file left in dist/ must not make an export pass that a clean build breaks.
    const source = forWorkers(targets)
      .default.replace(/^\.\/dist\//, "")
      .replace(/\.js$/, ".ts");
    expect(existsSync(join(projectRoot, source)), source).toBe(true);
    expect(existsSync(join(consumer, "node_modules", "ce-gateway", forWorkers(targets).types))).toBe(true);
  });

  it.runIf(forNode(targets) !== undefined)(
    "imports under Node in a project that installed the tarball",
    async () => {
      const names = resultOf(
        await runInConsumer(
          `const module = await import(${JSON.stringify(specifierOf(subpath))});
         console.log(JSON.stringify(Object.keys(module)));`,
        ),
      ) as string[];
      expect(names.length).toBeGreaterThan(0);
    },
  );

  it.runIf(forNode(targets) === undefined)(
    "is not importable under Node (it is for workerd only)",
    async () => {
      const code = resultOf(
        await runInConsumer(
          `const code = await import(${JSON.stringify(specifierOf(subpath))}).then(() => "imported", (e) => e.code);
         console.log(JSON.stringify(code));`,
        ),
      );
      expect(code).toBe("ERR_PACKAGE_PATH_NOT_EXPORTED");
    },
  );
});

describe("the installed package in use", () => {
  it("runs the README's library example: createGateway in the consumer's Hono app answers a POST with 202", async () => {
    const readme = readFileSync(join(projectRoot, "README.md"), "utf8");
    const example = /## Library use[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const result = resultOf(
      await runInConsumer(`${example}
        const response = await app.request("/ingest/events", {
          method: "POST",
          headers: { "ce-specversion": "1.0", "ce-id": "pkg-1", "ce-source": "/consumer", "ce-type": "com.example.packaged" },
        });
        await gateway.close();
        console.log(JSON.stringify({ status: response.status, ids: recent.events().map((s) => s.event.attributes.id) }));`),
    );
    expect(result).toEqual({ status: 202, ids: ["pkg-1"] });
  });

  it("serves the gateway on a port of its own through ce-gateway/node", async () => {
    const result = resultOf(
      await runInConsumer(`
        import { EMBEDDED_DEFAULT_CONFIG } from "ce-gateway";
        import { serveGateway } from "ce-gateway/node";
        const running = await serveGateway({ config: EMBEDDED_DEFAULT_CONFIG, port: 0, host: "127.0.0.1" });
        const response = await fetch(new URL("/events", running.url), {
          method: "POST",
          headers: { "content-type": "application/cloudevents+json" },
          body: JSON.stringify({ specversion: "1.0", id: "pkg-2", source: "/consumer", type: "com.example.packaged" }),
        });
        await running.stop();
        console.log(JSON.stringify({ status: response.status }));`),
    );
    expect(result).toEqual({ status: 202 });
  });

  it("builds a Worker with `npx ce-gateway build` that answers a POST in workerd", async () => {
    await run("npx", ["--no-install", "ce-gateway", "build", "--target", "workers", "--out", ".ce-gateway"], {
      cwd: consumer,
      env: childEnv,
    });
    const module = readFileSync(join(consumer, ".ce-gateway", "worker.js"), "utf8");
    expect(module).toContain('from "ce-gateway/workers"');
    // Bundled the way wrangler bundles (esbuild, workerd conditions), resolving from the consumer only.
    const bundle = await build({
      entryPoints: [join(consumer, ".ce-gateway", "worker.js")],
      absWorkingDir: consumer,
      bundle: true,
      format: "esm",
      platform: "neutral",
      conditions: ["workerd", "worker", "browser"],
      mainFields: ["module", "main"],
      // tweetnacl (NKeys, under the NATS client) falls back to require("crypto") only where WebCrypto is missing.
      external: ["cloudflare:*", "crypto"],
      write: false,
      logLevel: "silent",
    });
    const mf = new Miniflare({
      modules: true,
      script: bundle.outputFiles[0]?.text ?? "",
      compatibilityDate: "2025-09-01",
      durableObjects: { NATS: { className: "NatsConnectionObject", useSQLite: true } },
    });
    try {
      const response = await mf.dispatchFetch("http://gateway/events", {
        method: "POST",
        headers: {
          "ce-specversion": "1.0",
          "ce-id": "pkg-3",
          "ce-source": "/consumer",
          "ce-type": "com.example.packaged",
        },
      });
      expect(response.status).toBe(202);
    } finally {
      await mf.dispose();
    }
  });

  it("names the optional SDK to install when a target needs one the project lacks", async () => {
    const result = resultOf(
      await runInConsumer(`
        import { createGateway } from "ce-gateway";
        const gateway = createGateway({
          targets: { ps: { type: "pubsub", projectId: "p", topic: "orders", api: "grpc" } },
          routes: [{ name: "all", to: ["ps"] }],
        });
        const response = await gateway.request("/events", {
          method: "POST",
          headers: { "ce-specversion": "1.0", "ce-id": "pkg-4", "ce-source": "/consumer", "ce-type": "t" },
        });
        await gateway.close();
        console.log(JSON.stringify({ status: response.status, body: await response.text() }));`),
    );
    expect(result.status).toBeGreaterThanOrEqual(500);
    expect(result.body).toContain("npm install @google-cloud/pubsub");
  });

  it("prints the package version for `npx ce-gateway --version`", async () => {
    const { stdout } = await run("npx", ["--no-install", "ce-gateway", "--version"], {
      cwd: consumer,
      env: childEnv,
    });
    expect(stdout).toBe(`${pkg.version}\n`);
  });
});
