/** Markdown tables: one row per configuration, then the comparisons with their targets. */
import { BATCH_SIZE } from "./load/requests.js";

const int = (v) => (Number.isFinite(v) ? Math.round(v).toLocaleString("en-US") : "n/a");
const fixed = (v, digits) => (Number.isFinite(v) ? v.toFixed(digits) : "n/a");

const MODE_TEXT = {
  "json-source": "json source",
  structured: "structured",
  binary: "binary",
  batch: `batch (${BATCH_SIZE}/request)`,
};

/**
 * @param {Map<string, import("./summary.js").Summary>} summaries
 * @returns {string}
 */
export function configurationTable(summaries) {
  const lines = [
    "| configuration | mode | req/s | events/s | spread | p50 ms | p99 ms | peak RSS MB | server CPU (cores) | non-2xx | socket errors | rounds | flag |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
  ];
  for (const s of summaries.values()) {
    const flags = [];
    if (s.non2xx > 0) flags.push("⚠ non-2xx responses");
    if (s.errors > 0) flags.push("⚠ socket errors/timeouts");
    if (s.failures.length > 0) flags.push(`⚠ ${s.failures.length} round(s) failed`);
    flags.push(...s.notes);
    if (s.logBytes > 0) flags.push(`server logged ${Math.ceil(s.logBytes / 1024)} KiB`);
    lines.push(
      `| ${s.name} | ${MODE_TEXT[s.config.mode]} | ${int(s.reqPerS)} | ${int(s.eventsPerS)} | ${Number.isFinite(s.spread) ? `${Math.round(s.spread * 100)}%` : ""} | ${fixed(s.p50Ms, 2)} | ${fixed(s.p99Ms, 2)} | ${fixed(s.peakRssMb ?? Number.NaN, 0)} | ${fixed(s.cpuCores, 2)} | ${s.non2xx} | ${s.errors} | ${s.rounds} | ${flags.join("; ")} |`,
    );
  }
  return lines.join("\n");
}

/**
 * @param {import("./targets.js").Comparison[]} rows
 * @returns {string}
 */
export function comparisonTable(rows) {
  const lines = ["| comparison | value | target | status |", "|---|---:|---:|---|"];
  for (const r of rows) {
    const value = r.unit === "MB" ? `${fixed(r.value, 0)} MB` : `${fixed(r.value, 2)}x`;
    const target = r.target ? `${r.target.op} ${r.target.limit}${r.unit === "MB" ? " MB" : "x"}` : "";
    lines.push(`| ${r.label} | ${value} | ${target} | ${r.status} |`);
  }
  return lines.join("\n");
}

/** What each server wrote (its first line), for those that wrote anything. */
export function serverOutput(summaries) {
  const lines = [];
  for (const s of summaries.values())
    if (s.logBytes > 0) lines.push(`- ${s.name} (${s.logBytes} bytes in all rounds): \`${s.logStart}\``);
  return lines.join("\n");
}

/** The failures, each once, with the server's last output. */
export function failureList(summaries) {
  const lines = [];
  for (const s of summaries.values())
    for (const f of new Set(s.failures)) lines.push(`- ${f.replaceAll("\n", "\n  ")}`);
  return lines.join("\n");
}
