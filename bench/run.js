/**
 * `npm run bench`: the load benchmark (bench/load-run.js), or the soak, or
 * the old in-process micro-benchmarks. Every process it starts is ended
 * when it exits, fails or is interrupted (bench/children.js).
 */
import { benchArgs, USAGE } from "./args.js";
import { installCleanup, killEverything } from "./children.js";
import { runLoad } from "./load-run.js";
import { comparisonTable, configurationTable, failureList, serverOutput } from "./report.js";
import { writeResults } from "./results.js";
import { CONFIGURATIONS, QUICK, selectConfigurations } from "./scenarios.js";
import { runSoak, soakReport } from "./soak.js";
import { summarize } from "./summary.js";
import { comparisons } from "./targets.js";

installCleanup();
const options = benchArgs(process.argv.slice(2));

if (options.help) {
  console.log(USAGE);
} else if (options.list) {
  for (const c of CONFIGURATIONS) console.log(`${c.name}${QUICK.includes(c.name) ? "  (quick)" : ""}`);
} else if (options.micro) {
  const { runMicro } = await import("./micro.js");
  await runMicro();
} else if (options.workers) {
  const { run } = await import("./workers.js");
  await run();
} else if (options.soak) {
  const soak = await runSoak(options);
  console.log(soakReport(soak));
  console.error(`raw results: ${writeResults("soak", soak)}`);
} else {
  const configurations = selectConfigurations(
    options.only.length > 0 ? options.only : options.quick ? QUICK : ["*"],
  );
  const run = await runLoad({ ...options, configurations });
  const summaries = summarize(configurations, run.records);
  const rows = comparisons(summaries);
  console.log(
    `# ce-gateway load benchmark (${options.quick ? "quick" : options.only.length > 0 ? "selected configurations" : "full"})\n`,
  );
  console.log(
    `${run.driver}, ${options.connections} connections, ${options.rounds} round(s) of ${options.durationS} s after ` +
      `${options.warmupS} s warm-up; medians over rounds; node ${run.machine.node}, ${run.machine.cpus} CPUs; ` +
      `${Math.round(run.durationS)} s in total; load average ${run.machine.loadBefore.toFixed(2)} before, ` +
      `${run.machine.loadAfter.toFixed(2)} after (the harness's own load included)\n`,
  );
  console.log(configurationTable(summaries));
  console.log(
    "\nspread: (highest - lowest) / median events/s over the rounds. Peak RSS: the highest over the rounds.",
  );
  console.log("\n## Against the baselines\n");
  console.log(
    rows.length > 0 ? comparisonTable(rows) : "(no comparison: a configuration of each pair is missing)",
  );
  const failures = failureList(summaries);
  if (failures !== "") console.log(`\n## Failures\n\n${failures}`);
  const logs = serverOutput(summaries);
  if (logs !== "") console.log(`\n## Server output (first line)\n\n${logs}`);
  const file = writeResults(options.quick ? "quick" : "load", {
    options: { ...options, configurations: configurations.map((c) => c.name) },
    ...run,
    summaries: [...summaries.values()].map(({ config, ...s }) => s),
    comparisons: rows,
  });
  console.error(`raw results: ${file}`);
}
killEverything();
// Everything is closed by now; if a handle still keeps the process alive, say so and leave anyway.
setTimeout(() => {
  console.error("the benchmark finished but something kept it running:", process.getActiveResourcesInfo());
  process.exit(1);
}, 5000).unref();
