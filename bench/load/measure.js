/**
 * One measurement of one configuration: start its server on a free port,
 * wait for /healthz, send one probe request (it must be answered 2xx, or the
 * configuration is reported failed with the answer), warm up, drive the
 * load, read the server's peak RSS and CPU, stop it.
 */
import { spawnChild, stopChild } from "../children.js";
import { freePort, send, waitHealthy } from "./http-check.js";
import { cpuSecondsOf, sampleMemory } from "./proc-sampler.js";
import { fillTemplate, requestTemplate } from "./requests.js";

const templates = new Map();
const templateFor = (mode) => {
  if (!templates.has(mode)) templates.set(mode, requestTemplate(mode));
  return templates.get(mode);
};

let nonces = 0;
/** Unique per load run and per harness run, so JetStream never sees an id twice. */
const nextNonce = (runId) => `${runId}${(++nonces).toString(36)}`;

/**
 * @typedef {object} Measurement
 * @property {number} reqPerS
 * @property {number} eventsPerS
 * @property {number} p50Ms
 * @property {number} p99Ms
 * @property {number} non2xx
 * @property {number} errors
 * @property {number | undefined} peakRssMb
 * @property {number} cpuCores server CPU seconds per second of load (1 = one core busy)
 * @property {number} requests
 * @property {number} seconds
 * @property {number} eventsPerRequest
 * @property {number} logBytes what the server wrote to stdout/stderr (the gateway runs at LOG_LEVEL=warn)
 * @property {string} logStart the first line it wrote
 */

/**
 * @param {import("../scenarios.js").Configuration} config
 * @param {import("../scenarios.js").RunContext & { runId: string }} ctx
 * @param {{ driver: import("./driver.js").LoadDriver, connections: number, warmupS: number, durationS: number,
 *   whileLoaded?: (pid: number) => (() => void) }} options whileLoaded: started with the load, its result stops it
 * @returns {Promise<Measurement>}
 */
export async function measureOnce(config, ctx, options) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const { args, env } = config.command(ctx, port);
  const handle = spawnChild(process.execPath, args, { cwd: ctx.tmp, env: { ...process.env, ...env } });
  /** @type {ReturnType<typeof sampleMemory> | undefined} */
  let memory;
  try {
    await waitHealthy(base, handle);
    const pid = /** @type {number} */ (handle.child.pid);
    memory = sampleMemory(pid, 200);
    const template = templateFor(config.mode);
    const probe = await send(base + template.path, fillTemplate(template, nextNonce(ctx.runId)));
    if (probe.status < 200 || probe.status > 299)
      throw new Error(`the probe request got ${probe.status}: ${probe.body.slice(0, 500)}`);
    const load = { url: base, template, connections: options.connections };
    if (options.warmupS > 0)
      await options.driver.run({ ...load, durationS: options.warmupS, nonce: nextNonce(ctx.runId) });
    const cpuBefore = cpuSecondsOf(pid);
    const stopWatching = options.whileLoaded?.(pid);
    const result = await options.driver.run({
      ...load,
      durationS: options.durationS,
      nonce: nextNonce(ctx.runId),
    });
    stopWatching?.();
    const cpuCores = (cpuSecondsOf(pid) - cpuBefore) / result.seconds;
    const peakRssMb = memory.stop();
    const reqPerS = result.requests / result.seconds;
    return {
      reqPerS,
      eventsPerS: reqPerS * template.eventsPerRequest,
      p50Ms: result.p50Ms,
      p99Ms: result.p99Ms,
      non2xx: result.non2xx,
      errors: result.errors,
      peakRssMb,
      cpuCores,
      requests: result.requests,
      seconds: result.seconds,
      eventsPerRequest: template.eventsPerRequest,
      logBytes: handle.output.bytes,
      logStart: handle.output.first.split("\n")[0].slice(0, 300),
    };
  } catch (error) {
    const log = handle.output.text.trim();
    throw new Error(`${config.name}: ${error instanceof Error ? error.message : error}`, {
      cause: log === "" ? undefined : log.slice(-2000),
    });
  } finally {
    memory?.stop();
    await stopChild(handle);
  }
}
