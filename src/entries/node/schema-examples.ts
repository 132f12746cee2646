/**
 * The example events kept beside a folder registry's schemas
 * (`<dir>/<type>/examples/*.json`, as `ce-gateway test` runs them), for the
 * console's schema browser. Read when a type's page is opened; a file that
 * does not parse is shown as its text.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { SchemaExample } from "../../console/console-app.js";

const MAX_EXAMPLES = 20;
const MAX_EXAMPLE_BYTES = 64 * 1024;

export function folderExamples(dir: string): (type: string) => Promise<readonly SchemaExample[]> {
  return async (type) => {
    // The type is one the registry holds; a name that could leave the folder is still refused.
    if (type.includes("/") || type.includes("\\") || type.startsWith(".")) return [];
    const folder = join(dir, type, "examples");
    let files: string[];
    try {
      files = (await readdir(folder)).filter((f) => f.endsWith(".json")).sort();
    } catch {
      return [];
    }
    return Promise.all(
      files.slice(0, MAX_EXAMPLES).map(async (name): Promise<SchemaExample> => {
        const text = (await readFile(join(folder, name), "utf8")).slice(0, MAX_EXAMPLE_BYTES);
        try {
          return { name, content: JSON.parse(text) };
        } catch {
          return { name, content: text };
        }
      }),
    );
  };
}
