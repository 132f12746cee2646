/**
 * docs/config.md is the reference generated from the config's JSON Schema:
 * regenerated here and compared, so a schema change without the doc fails.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/config-schema.js";
import { nodeTargets } from "../../src/entries/node/targets.js";
import { configReference } from "../../src/tooling/config-reference.js";
import { projectRoot } from "../support/cli-process.js";

describe("docs/config.md", () => {
  const schema = configSchema(nodeTargets);
  const generated = configReference(schema);

  it("is up to date with the config schema", () => {
    const committed = readFileSync(join(projectRoot, "docs/config.md"), "utf8");
    expect(committed === generated, "docs/config.md is out of date: run `npm run docs:config`").toBe(true);
  });

  it("names every top-level key, every target type and every source type", () => {
    for (const key of Object.keys(schema.properties as object)) expect(generated).toContain(`\n## ${key}\n`);
    for (const type of Object.keys(nodeTargets))
      expect(generated).toContain(`### \`targets.<name>\` with type: \`${type}\`\n`);
    for (const type of ["json", "github", "hmac", "pubsub-push", "eventgrid"])
      expect(generated).toContain(`### \`ingest.sources[]\` with type: \`${type}\`\n`);
    expect(generated).toMatch(/\| `server\.port` \| integer \| `8080` \|/);
    expect(generated).toMatch(/\| `routes\[\]\.to` \(required\) \| array of string \|/);
  });
});
