/**
 * A small benchmark harness: each case runs beside its baselines in the same
 * process and run, and results are reported as ratios to the baseline (this
 * machine is shared and noisy; absolute numbers mean little).
 */
import { Bench } from "tinybench";

/**
 * @param {string} title
 * @param {Record<string, () => unknown | Promise<unknown>>} cases the first one is the baseline
 * @param {{ time?: number }} [options]
 */
export async function compare(title, cases, options = {}) {
  const bench = new Bench({ time: options.time ?? 1500, warmupTime: 300 });
  for (const [name, fn] of Object.entries(cases)) bench.add(name, fn);
  await bench.run();
  const [baseline] = bench.tasks;
  const baseMean = baseline?.result?.latency.mean ?? Number.NaN;
  console.log(`\n## ${title}`);
  console.log("| case | mean (µs) | p99 (µs) | ops/s | time vs baseline |");
  console.log("|---|---:|---:|---:|---:|");
  for (const task of bench.tasks) {
    const latency = task.result?.latency;
    const mean = latency?.mean ?? Number.NaN;
    console.log(
      `| ${task.name} | ${(mean * 1000).toFixed(1)} | ${((latency?.p99 ?? Number.NaN) * 1000).toFixed(1)} | ${Math.round(task.result?.throughput.mean ?? 0)} | ${(mean / baseMean).toFixed(2)}x |`,
    );
  }
  return bench.tasks;
}
