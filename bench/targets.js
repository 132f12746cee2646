/**
 * The comparisons the harness exists for: the gateway against the baselines
 * measured in the same run, each with its target where the project set one.
 * A figure less than 5% short of its target is within this machine's noise
 * but still not met ("noise, not met"); a comparison involving a
 * configuration with non-2xx responses, socket errors or failed rounds is
 * not judged at all.
 */

const TARGET_LABELS = { structured: "structured", binary: "binary", batch: "batch-100" };
const TARGET_NAMES = { none: "no target", core: "NATS core", js: "JetStream" };

/**
 * @typedef {object} Comparison
 * @property {string} label
 * @property {number} value
 * @property {"x" | "MB"} unit
 * @property {{ op: ">=" | "<=" | "<", limit: number } | undefined} target
 * @property {string} status
 * @property {string[]} involved configuration names
 */

/** @param {number} value @param {Comparison["target"]} target */
export function judge(value, target) {
  if (target === undefined) return "";
  if (!Number.isFinite(value)) return "n/a";
  const { op, limit } = target;
  const met = op === ">=" ? value >= limit : op === "<=" ? value <= limit : value < limit;
  if (met) return "met";
  const near = op === ">=" ? value >= limit * 0.95 : value <= limit * 1.05;
  return near ? "noise, not met" : "not met";
}

/**
 * @param {Map<string, import("./summary.js").Summary>} summaries
 * @returns {Comparison[]}
 */
export function comparisons(summaries) {
  /** @type {Comparison[]} */
  const rows = [];
  const add = (label, value, unit, target, involved) => {
    const present = involved.map((n) => summaries.get(n));
    if (present.some((s) => s === undefined)) return; // not measured in this run (--quick, --only)
    const flagged = present.filter((s) => s?.flagged).map((s) => s?.name);
    const status =
      flagged.length > 0
        ? `invalid: ${flagged.join(", ")} had non-2xx/errors/failures`
        : judge(value, target);
    rows.push({ label, value, unit, target, status, involved });
  };
  const get = (name, key) => summaries.get(name)?.[key] ?? Number.NaN;
  const ratio = (label, a, b, key, target) => add(label, get(a, key) / get(b, key), "x", target, [a, b]);

  ratio(
    "no target, structured: gateway / bare Hono (events/s)",
    "gateway-none-structured",
    "bare-hono",
    "eventsPerS",
    {
      op: ">=",
      limit: 0.7,
    },
  );
  ratio(
    "no target, structured: gateway / bare node:http (events/s)",
    "gateway-none-structured",
    "bare-http",
    "eventsPerS",
  );
  for (const [t, what] of [
    ["core", "NATS core"],
    ["js", "JetStream"],
  ])
    ratio(
      `ack: async / sync, ${what}, structured (events/s accepted)`,
      `gateway-${t}-structured-async`,
      `gateway-${t}-structured`,
      "eventsPerS",
    );

  /** Gateway against the minimal handler, per NATS target and ingest mode. */
  const againstMinimal = (what, key, targetFor) => {
    for (const t of ["core", "js"])
      for (const m of ["structured", "binary", "batch"])
        ratio(
          what(TARGET_NAMES[t], TARGET_LABELS[m]),
          `gateway-${t}-${m}`,
          `minimal-${t}-${m}`,
          key,
          targetFor(m),
        );
  };
  againstMinimal(
    (target, mode) => `${target}, ${mode}: gateway / minimal (events/s)`,
    "eventsPerS",
    (m) => (m === "batch" ? undefined : { op: ">=", limit: 1.0 }),
  );

  for (const [name, s] of summaries) {
    if (s.config.group !== "gateway") continue;
    const { target, mode, routes, validate } = s.config;
    const sdk = `sdk-${target}-${mode}`;
    const what =
      routes !== undefined ? `, ${routes} routes` : validate ? "" : ", schema check off (the SDK one checks)";
    ratio(`${name}: gateway / SDK-built${what} (events/s)`, name, sdk, "eventsPerS", {
      op: ">=",
      limit: 1.4,
    });
  }

  for (const server of ["gateway", "minimal"])
    ratio(
      `JetStream: batch-100 / single structured, ${server} (events/s)`,
      `${server}-js-batch`,
      `${server}-js-structured`,
      "eventsPerS",
      server === "gateway" ? { op: ">=", limit: 5 } : undefined,
    );
  ratio(
    "NATS core: batch-100 / single structured, gateway (events/s)",
    "gateway-core-batch",
    "gateway-core-structured",
    "eventsPerS",
  );

  for (const t of ["none", "core", "js"])
    ratio(
      `${TARGET_NAMES[t]}: json source / structured mode, gateway (events/s)`,
      `gateway-${t}-json-source`,
      `gateway-${t}-structured`,
      "eventsPerS",
    );

  ratio(
    "1,000 routes / 10 routes (events/s)",
    "gateway-core-structured-routes-1000",
    "gateway-core-structured-routes-10",
    "eventsPerS",
    {
      op: ">=",
      limit: 0.9,
    },
  );
  ratio(
    "100 routes / 10 routes (events/s)",
    "gateway-core-structured-routes-100",
    "gateway-core-structured-routes-10",
    "eventsPerS",
  );

  againstMinimal(
    (target, mode) => `p99, ${target}, ${mode}: gateway / minimal`,
    "p99Ms",
    () => ({ op: "<=", limit: 1.5 }),
  );

  const gateways = [...summaries.values()].filter(
    (s) => s.config.group === "gateway" && s.peakRssMb !== undefined,
  );
  if (gateways.length > 0) {
    const top = gateways.reduce((a, b) => ((b.peakRssMb ?? 0) > (a.peakRssMb ?? 0) ? b : a));
    add(
      `peak RSS, the largest of the gateway scenarios (${top.name})`,
      top.peakRssMb ?? Number.NaN,
      "MB",
      { op: "<", limit: 150 },
      [top.name],
    );
  }
  return rows;
}
