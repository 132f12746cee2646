/**
 * The layering rules, checked on every source file: the runtime-neutral core
 * imports no adapter, no entry, no `node:` module and no Node-only package
 * (statically or through `import()`, which bundlers follow); only the entries
 * (and the CLI, and the Node package root) compose. An adapter imports no
 * other adapter and, from the core, only the adapter contract, the event
 * model, the codecs, the errors and the bindings; the bindings import no
 * pipeline stage but the core checks (normalize).
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
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
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

/**
 * What an adapter may import from the core: never a pipeline stage, an entry, the CLI or the config.
 * The dedup store's interface is a seam like the adapter contract: an adapter's store implements it.
 */
const ADAPTER_MAY_IMPORT = [
  "src/adapter/",
  "src/event/",
  "src/codec/",
  "src/errors/",
  "src/bindings/",
  "src/deliver/dedup/dedup-store.",
];

/** What a binding may import from the core: the event model, codecs, errors, other bindings and the core checks. */
const BINDING_MAY_IMPORT = ["src/event/", "src/codec/", "src/errors/", "src/bindings/", "src/normalize/"];

/** The adapter a project path belongs to (`adapters/nats/workers/connect.ts` -> `nats`). */
const adapterOf = (path: string) => /^adapters\/([^/]+)\//.exec(path)?.[1];

function projectImportsOf(file: string, source: string): { specifier: string; to: string }[] {
  return importsOf(source).map((specifier) => ({ specifier, to: target(file, specifier) }));
}

function crossAdapterImports(file: string, source = readFileSync(join(projectRoot, file), "utf8")): string[] {
  return projectImportsOf(file, source)
    .filter(({ to }) => adapterOf(to) !== undefined && adapterOf(to) !== adapterOf(file))
    .map(({ specifier }) => `${file} imports ${specifier}`);
}

/** Core modules outside `allowed` (the package itself, `ce-gateway/...`, counts as the core). */
function coreImportsOutside(allowed: readonly string[], file: string, source: string): string[] {
  return projectImportsOf(file, source)
    .filter(({ to }) => {
      if (to === "ce-gateway" || to.startsWith("ce-gateway/")) return true;
      return to.startsWith("src/") && !allowed.some((prefix) => to.startsWith(prefix));
    })
    .map(({ specifier }) => `${file} imports ${specifier}`);
}

const stageImportsOfAdapter = (file: string, source = readFileSync(join(projectRoot, file), "utf8")) =>
  coreImportsOutside(ADAPTER_MAY_IMPORT, file, source);

const stageImportsOfBinding = (file: string, source = readFileSync(join(projectRoot, file), "utf8")) =>
  coreImportsOutside(BINDING_MAY_IMPORT, file, source);

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

  it("keeps every adapter free of other adapters", () => {
    const files = sourceFiles("adapters");
    expect(files.length).toBeGreaterThan(30);
    expect(files.flatMap((file) => crossAdapterImports(file))).toEqual([]);
  });

  it("lets adapters import from the core only the contract, the event model, codecs, errors and bindings", () => {
    expect(sourceFiles("adapters").flatMap((file) => stageImportsOfAdapter(file))).toEqual([]);
  });

  it.each([
    'import { natsTarget } from "../../nats/index.js";',
    'import type { PubsubPayload } from "../../pubsub/publisher.js";',
    'const load = () => import("../../memory/index.js");',
  ])("flags an adapter file that does %s", (source) => {
    expect(crossAdapterImports("adapters/http/node/example.ts", source)).toHaveLength(1);
  });

  it.each([
    'import { decodeHttpRequest } from "../../../src/decode/decode-request.js";',
    'import { normalizeEvents } from "../../../src/normalize/normalize-event.js";',
    'import { natsSubjectViolation } from "../../../src/route/address-rules.js";',
    'import { validateEvents } from "../../../src/validate/event-validator.js";',
    'import { parseConfig } from "../../../src/config/parse-config.js";',
    'const load = () => import("../../../src/entries/node/targets.js");',
    'import { createGateway } from "ce-gateway/core";',
  ])("flags an adapter file that reaches past the contract: %s", (source) => {
    expect(stageImportsOfAdapter("adapters/http/node/example.ts", source)).toHaveLength(1);
  });

  it("lets an adapter import its own files, the contract, the event model, codecs, errors and bindings", () => {
    const source = [
      'import { natsDescriptor } from "../descriptor.js";',
      'import type { Adapter } from "../../../src/adapter/adapter.js";',
      'import type { CloudEvent } from "../../../src/event/cloud-event.js";',
      'import { utf8Length } from "../../../src/codec/utf8.js";',
      'import { describeError } from "../../../src/errors/errors.js";',
      'import { binaryNatsMessage } from "../../../src/bindings/nats/encode.js";',
      'import { connect } from "@nats-io/transport-node";',
    ].join("\n");
    const file = "adapters/nats/node/example.ts";
    expect([...crossAdapterImports(file, source), ...stageImportsOfAdapter(file, source)]).toEqual([]);
  });

  it("keeps the bindings free of pipeline stages other than the core checks", () => {
    const files = sourceFiles("src/bindings");
    expect(files.length).toBeGreaterThan(5);
    expect(files.flatMap((file) => stageImportsOfBinding(file))).toEqual([]);
  });

  it.each([
    'import { readBodyLimited } from "../../decode/read-body.js";',
    'import { planDeliveries } from "../../route/plan-deliveries.js";',
  ])("flags a binding file that does %s", (source) => {
    expect(stageImportsOfBinding("src/bindings/nats/example.ts", source)).toHaveLength(1);
  });
});
