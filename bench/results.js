/** Raw results of a run as JSON in bench/results/ (git-ignored), one file per run. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const folder = fileURLToPath(new URL("results", import.meta.url));

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
  return file;
}
