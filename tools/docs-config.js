// Writes docs/config.md, the configuration reference, from the config's JSON Schema
// (the one `ce-gateway config schema` prints). Run through `npm run docs:config`, which builds first.
import { writeFileSync } from "node:fs";
import { configSchema } from "../dist/src/config/config-schema.js";
import { nodeTargets } from "../dist/src/entries/node/targets.js";
import { configReference } from "../dist/src/tooling/config-reference.js";

const out = new URL("../docs/config.md", import.meta.url);
writeFileSync(out, configReference(configSchema(nodeTargets)));
console.log(`wrote ${out.pathname}`);
