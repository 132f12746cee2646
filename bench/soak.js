/**
 * `--soak`: the gateway into JetStream (structured events) under steady load
 * for 5 minutes, its RSS sampled every 10 s. Flat means the last minute's
 * highest RSS is within 10% of the first minute's: a leak grows it steadily,
 * while garbage collection only makes it swing around a level.
 */

import { memoryOf } from "./load/proc-sampler.js";
import { measureWithStream, openBench } from "./load-run.js";
import { CONFIGURATIONS } from "./scenarios.js";

const SAMPLE_EVERY_MS = 10_000;
const FLAT_WITHIN = 0.1;

/** @param {{ durationS: number, warmupS: number, connections: number, driver: "auto" | "wrk" | "autocannon" }} options */
export async function runSoak(options) {
  const config = CONFIGURATIONS.find((c) => c.name === "gateway-js-structured");
  if (config === undefined) throw new Error("gateway-js-structured is not defined");
  const started = performance.now();
  const bench = await openBench(options.driver);
  /** @type {{ atS: number, rssMb: number }[]} */
  const samples = [];
  let measurement;
  try {
    console.error(
      `soak: ${config.name}, ${options.connections} connections, ${options.durationS} s, driver ${bench.driver.name}`,
    );
    measurement = await measureWithStream(config, bench, {
      ...options,
      driver: bench.driver,
      whileLoaded: (pid) => {
        const t0 = performance.now();
        const take = () => {
          const m = memoryOf(pid);
          if (m === undefined) return;
          const sample = { atS: (performance.now() - t0) / 1000, rssMb: m.rssMb };
          samples.push(sample);
          console.error(`  ${sample.atS.toFixed(0)} s: ${sample.rssMb.toFixed(1)} MB`);
        };
        take();
        const timer = setInterval(take, SAMPLE_EVERY_MS);
        return () => {
          clearInterval(timer);
          // The end of the load, unless a sample was just taken.
          if ((performance.now() - t0) / 1000 - (samples.at(-1)?.atS ?? 0) > 1) take();
        };
      },
    });
  } finally {
    await bench.close();
  }
  const window = Math.min(60, options.durationS / 3);
  const max = (list) => Math.max(...list.map((s) => s.rssMb));
  const firstMax = max(samples.filter((s) => s.atS <= window));
  const lastMax = max(samples.filter((s) => s.atS >= options.durationS - window));
  const growth = lastMax / firstMax - 1;
  return {
    config: config.name,
    driver: bench.driver.name,
    durationS: (performance.now() - started) / 1000,
    windowS: window,
    samples,
    measurement,
    firstWindowMaxMb: firstMax,
    lastWindowMaxMb: lastMax,
    growth,
    flat: growth <= FLAT_WITHIN,
  };
}

/** @param {Awaited<ReturnType<typeof runSoak>>} soak */
export function soakReport(soak) {
  const m = soak.measurement;
  const lines = [
    `## Soak: ${soak.config}, ${Math.round(m.seconds)} s under load`,
    "",
    "| second | RSS MB |",
    "|---:|---:|",
    ...soak.samples.map((s) => `| ${s.atS.toFixed(0)} | ${s.rssMb.toFixed(1)} |`),
    "",
    `events/s ${Math.round(m.eventsPerS)}, p50 ${m.p50Ms.toFixed(2)} ms, p99 ${m.p99Ms.toFixed(2)} ms, peak RSS ${Math.round(m.peakRssMb ?? 0)} MB, non-2xx ${m.non2xx}, socket errors ${m.errors}${m.notes.length ? `, ${m.notes.join("; ")}` : ""}`,
    `highest RSS in the first ${soak.windowS.toFixed(0)} s: ${soak.firstWindowMaxMb.toFixed(1)} MB; in the last ${soak.windowS.toFixed(0)} s: ${soak.lastWindowMaxMb.toFixed(1)} MB (${(soak.growth * 100).toFixed(1)}%)`,
    `RSS ${soak.flat ? "stays flat" : "GROWS"} (flat: within ${FLAT_WITHIN * 100}%)${m.non2xx || m.errors ? "; ⚠ non-2xx responses or socket errors" : ""}`,
  ];
  return lines.join("\n");
}
