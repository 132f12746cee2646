/**
 * Finds the shared conformance data (`../shared`, or CE_SHARED_DIR). Under CI
 * (CE_REQUIRE_SHARED=1) a missing folder fails the run; elsewhere the tests
 * that need it skip, saying why.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const projectRoot = resolve(fileURLToPath(new URL("../..", import.meta.url)));

export const sharedDir = resolve(process.env.CE_SHARED_DIR ?? join(projectRoot, "..", "shared"));
export const sharedAvailable = existsSync(join(sharedDir, "conformance"));

if (!sharedAvailable && process.env.CE_REQUIRE_SHARED === "1") {
  throw new Error(`CE_REQUIRE_SHARED=1 but the shared conformance data is missing at ${sharedDir}`);
}

export const sharedSkipReason = `shared conformance data not found at ${sharedDir} (set CE_SHARED_DIR)`;

export const sharedPath = (...parts: string[]) => join(sharedDir, ...parts);
