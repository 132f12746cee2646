/**
 * Schema versions as files: `<dir>/<event type>/<n>.json` (or .yaml/.yml).
 * New versions are written create-only, so two writers cannot both take a number.
 */
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type SchemaStore, VersionTakenError } from "../../schemas/schema-store.js";
import { parseSchemaVersion, type SchemaVersion, schemaPathParts } from "../../schemas/schema-version.js";

export function fileSchemaStore(dir: string): SchemaStore {
  return {
    async load() {
      const types = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") return [];
        throw error;
      });
      const versions: SchemaVersion[] = [];
      for (const type of types.filter((t) => t.isDirectory())) {
        for (const file of await readdir(join(dir, type.name))) {
          const parts = schemaPathParts(`${type.name}/${file}`);
          if (parts === undefined) continue;
          const text = await readFile(join(dir, type.name, file), "utf8");
          try {
            versions.push(parseSchemaVersion(parts.eventType, parts.version, text, !file.endsWith(".json")));
          } catch (error) {
            throw new Error(`${join(dir, type.name, file)}: ${(error as Error).message}`);
          }
        }
      }
      return versions;
    },
    async save(version) {
      await mkdir(join(dir, version.eventType), { recursive: true });
      const existing = await readdir(join(dir, version.eventType));
      if (existing.some((f) => schemaPathParts(`${version.eventType}/${f}`)?.version === version.version)) {
        throw new VersionTakenError(version.eventType, version.version);
      }
      try {
        await writeFile(
          join(dir, version.eventType, `${version.version}.json`),
          `${JSON.stringify(version.schema, null, 2)}\n`,
          {
            flag: "wx",
          },
        );
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EEXIST")
          throw new VersionTakenError(version.eventType, version.version);
        throw error;
      }
    },
    async close() {},
  };
}
