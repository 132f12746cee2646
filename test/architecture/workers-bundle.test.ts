/**
 * What a Worker bundles: the Workers entry, and the main module that
 * `ce-gateway build --target workers` writes around it with precompiled
 * validators, bundled as a Workers build does (no Node built-ins, no stubs).
 * esbuild's metafile lists every file the bundle reached; none may be
 * tooling, the Node entry, the CLI, Ajv's compiler, the YAML parser or a
 * Node-only package.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import type { Metafile } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { workerModule } from "../../src/cli/commands/build.js";
import { fileSchemaStore } from "../../src/entries/node/file-schema-store.js";
import { toSchemaVersion } from "../../src/schemas/schema-version.js";
import { standaloneModule } from "../../src/tooling/standalone-validators.js";
import { projectRoot } from "../support/cli-process.js";
import { bundleForWorkerdWithMetafile, type WorkerdBundle } from "../support/workerd-bundle.js";

const ENTRY = join(projectRoot, "src/entries/workers/worker.ts");

/** Files a Worker must never reach, each with the reason. Paths are as esbuild's metafile gives them. */
const FORBIDDEN: readonly { readonly what: string; readonly path: RegExp }[] = [
  { what: "registry tooling", path: /^src\/tooling\// },
  { what: "the Node entry", path: /^src\/entries\/node\// },
  { what: "the command line", path: /^src\/cli\// },
  { what: "an adapter's Node transport", path: /^adapters\/[^/]+\/node\// },
  { what: "Ajv's compiler", path: /(^|\/)node_modules\/ajv\/dist\/(core\.js|compile\/)/ },
  { what: "the YAML parser", path: /(^|\/)node_modules\/yaml\// },
  {
    what: "a Node-only package",
    path: /(^|\/)node_modules\/(@grpc\/|@google-cloud\/|google-[^/]+\/|@azure\/|@nats-io\/transport-node\/|pino\/|@hono\/node-server\/)/,
  },
];

/** The import chain from the entry to `file`, through the metafile's import records (shortest first). */
function chainTo(metafile: Metafile, file: string): string[] {
  const importers = new Map<string, string[]>();
  for (const [from, input] of Object.entries(metafile.inputs)) {
    for (const { path } of input.imports) importers.set(path, [...(importers.get(path) ?? []), from]);
  }
  const seen = new Set([file]);
  let paths = [[file]];
  while (paths.length > 0) {
    const next: string[][] = [];
    for (const path of paths) {
      const parents = importers.get(path[0] as string) ?? [];
      if (parents.length === 0) return path;
      for (const parent of parents.filter((p) => !seen.has(p))) {
        seen.add(parent);
        next.push([parent, ...path]);
      }
    }
    paths = next;
  }
  return [file];
}

/** Every forbidden file the bundle reached, with why and how: `reason: a -> b -> c`. */
function forbiddenInputs(metafile: Metafile): string[] {
  return Object.keys(metafile.inputs).flatMap((file) => {
    const rule = FORBIDDEN.find(({ path }) => path.test(file));
    return rule === undefined ? [] : [`${rule.what}: ${chainTo(metafile, file).join(" -> ")}`];
  });
}

const inputs = (bundle: WorkerdBundle) => Object.keys(bundle.metafile.inputs);

describe("the Workers entry bundle", () => {
  let bundle: WorkerdBundle;

  beforeAll(async () => {
    bundle = await bundleForWorkerdWithMetafile({ entry: ENTRY });
  }, 60_000);

  it("bundles without Node built-ins and without stubbing any client", () => {
    expect(bundle.code).toContain("NatsConnectionObject");
    expect(inputs(bundle)).toContain("src/entries/workers/worker.ts");
  });

  it("reaches no tooling, Node entry, CLI, Ajv compiler, YAML parser or Node-only package", () => {
    expect(forbiddenInputs(bundle.metafile)).toEqual([]);
  });

  it("holds the Workers-capable adapters' portable parts", () => {
    for (const type of ["http", "stdout", "pubsub", "eventgrid", "nats"]) {
      expect(inputs(bundle)).toContain(`adapters/${type}/index.ts`);
    }
  });
});

describe("the Worker ce-gateway build writes, with precompiled validators", () => {
  let bundle: WorkerdBundle;

  beforeAll(async () => {
    const versions = [
      ...(await fileSchemaStore(join(projectRoot, "examples/shop/schemas")).load()),
      // String lengths and uniqueItems make the precompiled code import Ajv's runtime helpers.
      toSchemaVersion("com.example.tagged", 1, {
        type: "object",
        properties: { name: { type: "string", minLength: 2 }, tags: { type: "array", uniqueItems: true } },
      }),
    ];
    const dir = join(projectRoot, "test-output", `workers-bundle-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "validators.js"), standaloneModule(versions));
    const entry = relative(dir, ENTRY).replaceAll("\\", "/");
    writeFileSync(join(dir, "worker.js"), workerModule(entry, { version: 1 }, versions));
    bundle = await bundleForWorkerdWithMetafile({ entry: join(dir, "worker.js") });
  }, 60_000);

  it("loads Ajv's small runtime helpers only, never its compiler", () => {
    const ajv = inputs(bundle).filter((file) => /(^|\/)node_modules\/ajv\//.test(file));
    expect(ajv.length).toBeGreaterThan(0);
    expect(ajv.filter((file) => !/\/ajv\/dist\/runtime\//.test(file))).toEqual([]);
  });

  it("reaches nothing forbidden either", () => {
    expect(forbiddenInputs(bundle.metafile)).toEqual([]);
  });

  it("stays under 270 KB gzip", () => {
    const raw = new TextEncoder().encode(bundle.code);
    const gzip = gzipSync(raw).byteLength;
    // 250 KiB until traces: @opentelemetry/api adds about 10 KiB (its CommonJS build, which the
    // workerd conditions resolve to, does not tree-shake).
    expect(gzip).toBeLessThan(270 * 1024);
  });
});

describe("the bundle check itself", () => {
  it("names the import chain of a forbidden file", async () => {
    const bundle = await bundleForWorkerdWithMetafile({
      source: 'import { positionOf } from "./src/config/yaml-positions.ts"; export default positionOf;',
    });
    const found = forbiddenInputs(bundle.metafile);
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]).toMatch(
      /^the YAML parser: <stdin> -> src\/config\/yaml-positions\.ts -> .*node_modules\/yaml\//,
    );
  });
});
