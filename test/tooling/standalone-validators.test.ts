/**
 * Precompiled validators (`ce-gateway schemas compile`, for Workers) must
 * behave exactly like the ones compiled at run time.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fileSchemaStore } from "../../src/entries/node/file-schema-store.js";
import { precompiledCompiler } from "../../src/schemas/precompiled-compiler.js";
import { createAjvCompiler } from "../../src/schemas/schema-compiler.js";
import { toSchemaVersion } from "../../src/schemas/schema-version.js";
import { standaloneModule } from "../../src/tooling/standalone-validators.js";
import { projectRoot } from "../support/cli-process.js";

const extra = [
  toSchemaVersion("t.strings", 1, {
    type: "object",
    properties: {
      name: { type: "string", minLength: 2, maxLength: 5 },
      mail: { type: "string", format: "email" },
      tags: { type: "array", items: { type: "string" }, uniqueItems: true },
    },
    additionalProperties: { type: "integer" },
  }),
  toSchemaVersion("t.modern", 1, {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    type: "array",
    prefixItems: [{ const: "head" }, { type: "number", exclusiveMinimum: 0 }],
    items: false,
  }),
];

describe("precompiled validators", () => {
  it("give the same verdicts and violations as run-time compiled ones", async () => {
    const versions = [
      ...(await fileSchemaStore(join(projectRoot, "examples/shop/schemas")).load()),
      ...extra,
    ];
    const dir = join(projectRoot, "test-output", `standalone-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, "validators.js");
    writeFileSync(file, standaloneModule(versions));
    const module = (await import(pathToFileURL(file).href)) as Parameters<typeof precompiledCompiler>[0] & {
      ids: string[];
    };
    expect([...module.ids].sort()).toEqual(versions.map((v) => v.id).sort());

    const runtime = createAjvCompiler().add(versions);
    const precompiled = precompiledCompiler(module).add(versions);
    const interesting = [
      { orderId: 1, total: { amount: 2, currency: "EUR" } },
      { orderId: 0, total: { amount: -1, currency: "eur" }, channel: "fax" },
      { name: "ab", mail: "a@b.example", tags: ["x", "x"], n: 1.5 },
      ["head", 1],
      ["head", 0, "more"],
    ];
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...interesting), fc.jsonValue()), (value) => {
        for (const version of versions) {
          expect(precompiled.get(version.id)?.(value)).toEqual(runtime.get(version.id)?.(value));
        }
      }),
      { numRuns: 300 },
    );
  });
});
