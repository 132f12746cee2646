/**
 * Raw results of a run as JSON in bench/results/ (git-ignored), one file per
 * run. The project's biome check reads every JSON file in the tree, ignored
 * ones included, so the file is written in biome's own format.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const folder = join(root, "bench", "results");
const biome = join(root, "node_modules", "@biomejs", "biome", "bin", "biome");

/**
 * @param {string} kind load, quick or soak
 * @param {object} data
 * @returns {string} the file written
 */
export function writeResults(kind, data) {
  mkdirSync(folder, { recursive: true });
  const stamp = new Date()
    .toISOString()
    .replaceAll(":", "-")
    .replace(/\.\d+Z$/, "Z");
  const file = join(folder, `${stamp}-${kind}.json`);
  writeFileSync(file, `${JSON.stringify({ kind, writtenAt: new Date().toISOString(), ...data }, null, 2)}\n`);
  if (existsSync(biome))
    spawnSync(process.execPath, [biome, "format", "--write", file], { cwd: root, stdio: "ignore" });
  return file;
}
