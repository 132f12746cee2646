/**
 * The load benchmark: a nats-server, then every selected configuration,
 * round after round (interleaved, so a slow minute of the shared machine
 * hits every configuration alike rather than one), each measured by
 * bench/load/measure.js.
 */
import { mkdtempSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { removeOnExit } from "./children.js";
import { writeSchemaRegistry } from "./gateway-config.js";
import { loadDriver } from "./load/driver.js";
import { measureOnce } from "./load/measure.js";
import { startBenchNats } from "./nats-server.js";
import { STREAM, streamControl } from "./nats-stream.js";

/**
 * @typedef {object} LoadOptions
 * @property {import("./scenarios.js").Configuration[]} configurations
 * @property {number} rounds
 * @property {number} warmupS
 * @property {number} durationS
 * @property {number} connections
 * @property {"auto" | "wrk" | "autocannon"} driver
 */

/** @param {number} s */
const seconds = (s) => `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, "0")}s`;

/** Sets up the shared pieces (temp folder, schemas, nats-server, stream control, driver). */
export async function openBench(driverChoice) {
  const tmp = removeOnExit(mkdtempSync(join(tmpdir(), "ce-gateway-bench-")));
  const schemasDir = writeSchemaRegistry(tmp);
  const nats = await startBenchNats();
  const stream = await streamControl(nats.url);
  const driver = await loadDriver(driverChoice, tmp);
  const runId = Date.now().toString(36);
  return {
    ctx: { natsUrl: nats.url, stream: STREAM, tmp, schemasDir, runId },
    stream,
    driver,
    async close() {
      await stream.close();
      await nats.stop();
    },
  };
}

/**
 * One configuration, once, with the stream around it for JetStream.
 * @param {import("./scenarios.js").Configuration} config
 * @param {Awaited<ReturnType<typeof openBench>>} bench
 * @param {Parameters<typeof measureOnce>[2]} options
 */
export async function measureWithStream(config, bench, options) {
  if (config.target === "js") await bench.stream.create();
  try {
    const m = await measureOnce(config, bench.ctx, options);
    /** @type {string[]} */
    const notes = [];
    if (config.target === "js") {
      // Every 2xx event must be in the stream (probe and warm-up add more; the stream keeps at most 1,000,000).
      const stored = await bench.stream.messages();
      const acked = (m.requests - m.non2xx) * m.eventsPerRequest;
      if (stored < Math.min(acked, 1_000_000))
        notes.push(`⚠ stream holds ${stored} messages for ${acked} acknowledged events`);
    }
    if (m.logBytes > 0) notes.push(`server logged ${m.logBytes} bytes`);
    return { ...m, notes };
  } finally {
    if (config.target === "js") await bench.stream.remove();
  }
}

/** @param {LoadOptions} options */
export async function runLoad(options) {
  const started = performance.now();
  // Other work on the machine skews every figure: the load average before and after says how busy it was.
  const loadBefore = loadavg()[0];
  const bench = await openBench(options.driver);
  /** @type {{ round: number, name: string, measurement?: any, error?: string }[]} */
  const records = [];
  const total = options.rounds * options.configurations.length;
  console.error(
    `load: ${options.configurations.length} configurations x ${options.rounds} rounds, ${options.connections} connections, ` +
      `${options.warmupS} s warm-up + ${options.durationS} s each, driver ${bench.driver.name}, nats ${bench.ctx.natsUrl}`,
  );
  try {
    for (let round = 1; round <= options.rounds; round++) {
      for (const config of options.configurations) {
        const step = records.length + 1;
        try {
          const m = await measureWithStream(config, bench, { ...options, driver: bench.driver });
          records.push({ round, name: config.name, measurement: m });
          console.error(
            `[${step}/${total}] ${config.name}: ${Math.round(m.eventsPerS)} events/s, p99 ${m.p99Ms.toFixed(2)} ms, ` +
              `${Math.round(m.peakRssMb ?? 0)} MB${m.non2xx ? `, ${m.non2xx} NON-2XX` : ""}${m.errors ? `, ${m.errors} ERRORS` : ""}` +
              `${m.notes.length ? `, ${m.notes.join("; ")}` : ""} (${seconds((performance.now() - started) / 1000)})`,
          );
        } catch (error) {
          const cause = error instanceof Error && error.cause ? `\n  server output: ${error.cause}` : "";
          const message = `${error instanceof Error ? error.message : error}${cause}`;
          records.push({ round, name: config.name, error: message });
          console.error(`[${step}/${total}] FAILED ${message}`);
        }
      }
    }
  } finally {
    await bench.close();
  }
  return {
    driver: bench.driver.name,
    durationS: (performance.now() - started) / 1000,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      node: process.version,
      platform: process.platform,
      loadBefore,
      loadAfter: loadavg()[0],
    },
    records,
  };
}
