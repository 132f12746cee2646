/**
 * Picks the load generator: wrk when it is installed (less CPU taken from the
 * server under test), otherwise autocannon in this process.
 */
import { findExecutable } from "./which.js";
import { wrkDriver } from "./wrk.js";

/**
 * @typedef {object} LoadResult
 * @property {number} requests completed requests
 * @property {number} seconds measured duration
 * @property {number} p50Ms
 * @property {number} p99Ms
 * @property {number} non2xx responses with an error status (wrk: >= 400; autocannon: not 2xx)
 * @property {number} errors connect, read, write errors and timeouts
 */
/**
 * @typedef {object} LoadDriver
 * @property {string} name
 * @property {(run: { url: string, template: import("./requests.js").RequestTemplate,
 *   connections: number, durationS: number, nonce: string }) => Promise<LoadResult>} run
 */

/**
 * @param {"auto" | "wrk" | "autocannon"} choice
 * @param {string} workDir
 * @returns {Promise<LoadDriver>}
 */
export async function loadDriver(choice, workDir) {
  const wrk = choice === "autocannon" ? undefined : findExecutable("wrk");
  if (wrk !== undefined) return wrkDriver(wrk, workDir);
  if (choice === "wrk")
    throw new Error("wrk is not installed (apt-get install -y wrk), or use --driver autocannon");
  const { autocannonDriver } = await import("./autocannon.js");
  return autocannonDriver();
}
