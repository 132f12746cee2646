/**
 * Rounds to one figure per configuration: medians over rounds (the machine
 * is shared and noisy; a median ignores one bad round), the highest peak
 * RSS, summed non-2xx responses and socket errors, and failed rounds.
 */

const median = (values) => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * @typedef {object} Summary
 * @property {string} name
 * @property {import("./scenarios.js").Configuration} config
 * @property {number} reqPerS
 * @property {number} eventsPerS
 * @property {number} spread (highest - lowest) / median of events/s over rounds: how noisy the rounds were
 * @property {number} p50Ms
 * @property {number} p99Ms
 * @property {number | undefined} peakRssMb
 * @property {number} cpuCores
 * @property {number} non2xx
 * @property {number} errors
 * @property {number} rounds measured rounds
 * @property {string[]} failures
 * @property {string[]} notes
 * @property {number} logBytes what the server wrote, all rounds
 * @property {string} logStart the first line it wrote
 * @property {boolean} flagged non-2xx, socket errors or failed rounds: its figures are not to be trusted
 */

/**
 * @param {import("./scenarios.js").Configuration[]} configurations
 * @param {{ name: string, measurement?: import("./load/measure.js").Measurement & { notes?: string[] }, error?: string }[]} records
 * @returns {Map<string, Summary>}
 */
export function summarize(configurations, records) {
  const out = new Map();
  for (const config of configurations) {
    const mine = records.filter((r) => r.name === config.name);
    const ok = mine.flatMap((r) => (r.measurement ? [r.measurement] : []));
    const pick = (key) => median(ok.map((m) => m[key]));
    const events = ok.map((m) => m.eventsPerS);
    const rss = ok.map((m) => m.peakRssMb).filter((v) => v !== undefined);
    const non2xx = ok.reduce((n, m) => n + m.non2xx, 0);
    const errors = ok.reduce((n, m) => n + m.errors, 0);
    const failures = mine.flatMap((r) => (r.error ? [r.error] : []));
    out.set(config.name, {
      name: config.name,
      config,
      reqPerS: pick("reqPerS"),
      eventsPerS: pick("eventsPerS"),
      spread: ok.length > 1 ? (Math.max(...events) - Math.min(...events)) / median(events) : Number.NaN,
      p50Ms: pick("p50Ms"),
      p99Ms: pick("p99Ms"),
      peakRssMb: rss.length > 0 ? Math.max(...rss) : undefined,
      cpuCores: pick("cpuCores"),
      non2xx,
      errors,
      rounds: ok.length,
      failures,
      notes: [...new Set(ok.flatMap((m) => (m.notes ?? []).filter((n) => !n.startsWith("server logged"))))],
      logBytes: ok.reduce((n, m) => n + (m.logBytes ?? 0), 0),
      logStart: ok.find((m) => m.logStart)?.logStart ?? "",
      flagged: non2xx > 0 || errors > 0 || failures.length > 0 || ok.length === 0,
    });
  }
  return out;
}
