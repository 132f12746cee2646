/**
 * The Worker as deployed: built by `wrangler deploy --dry-run` from the
 * committed wrangler.toml (embedded default config), its bundle size raw and
 * gzip, and the CPU time workerd spends per structured event, beside a
 * minimal Worker (read the JSON body, answer 202) measured the same way in
 * the same run. Timers are frozen inside a Worker, so CPU time is read from
 * outside: the workerd process's user + system time in /proc (Linux only).
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { Miniflare } from "miniflare";

const root = fileURLToPath(new URL("..", import.meta.url));
const EVENTS = 2000;
const WARM_UP = 200;
const CONCURRENCY = 10;

const minimalWorker = `export default {
  async fetch(request) {
    const event = await request.json();
    return Response.json({ accepted: 1, events: [{ id: event.id, source: event.source }] }, { status: 202 });
  },
};`;

const event = JSON.stringify({
  specversion: "1.0",
  id: "1",
  source: "/shop/eu",
  type: "com.example.order.created",
  datacontenttype: "application/json",
  data: {
    orderId: 1001,
    total: 119.88,
    customer: "c-7",
    lines: Array.from({ length: 12 }, (_, i) => ({ sku: `sku-${i}`, qty: i, price: 9.99 })),
  },
});

function wranglerBuild(outdir) {
  const env = {
    ...process.env,
    PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ""}`,
    WRANGLER_SEND_METRICS: "false",
    WRANGLER_HIDE_BANNER: "true",
    WRANGLER_LOG_PATH: join(outdir, ".logs"),
  };
  delete env.CE_GATEWAY_CONFIG;
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["--no", "wrangler", "deploy", "--dry-run", "--outdir", outdir], {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let log = "";
    child.stdout.on("data", (chunk) => {
      log += chunk;
    });
    child.stderr.on("data", (chunk) => {
      log += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(log) : reject(new Error(`wrangler exited with ${code}:\n${log}`)),
    );
  });
}

/** Processes named workerd whose parent is this process. */
function workerdChildren() {
  const pids = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (comm === "workerd" && ppid === process.pid) pids.push(Number(name));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/** User + system CPU seconds of a process, all threads. */
function cpuSeconds(pid, ticksPerSecond) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 14 and 15 of stat(5) (utime, stime), counted from field 3 here.
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

async function send(url, count) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      const response = await fetch(new URL("/events", url), {
        method: "POST",
        headers: { "content-type": "application/cloudevents+json" },
        body: event,
      });
      if (response.status !== 202) throw new Error(`status ${response.status}: ${await response.text()}`);
      await response.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

/** CPU time per event in a fresh workerd running `options`, after a warm-up. */
async function measure(options, ticksPerSecond) {
  const before = new Set(workerdChildren());
  const mf = new Miniflare({
    ...options,
    // Straight to the Worker's own socket, not through Miniflare's entry worker.
    unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
    handleRuntimeStdio: (out, err) => {
      // The stdout target writes every event to the log: drain it, unread.
      out.resume();
      err.resume();
    },
  });
  try {
    const url = await mf.unsafeGetDirectURL();
    const [pid] = workerdChildren().filter((p) => !before.has(p));
    if (pid === undefined) throw new Error("cannot find the workerd process Miniflare started");
    await send(url, WARM_UP);
    const cpuBefore = cpuSeconds(pid, ticksPerSecond);
    const started = performance.now();
    await send(url, EVENTS);
    const wall = (performance.now() - started) / 1000;
    const cpu = cpuSeconds(pid, ticksPerSecond) - cpuBefore;
    return { cpuPerEventMs: (cpu / EVENTS) * 1000, eventsPerSecond: EVENTS / wall };
  } finally {
    await mf.dispose();
  }
}

export async function run() {
  console.log("\n## Cloudflare Workers: the bundle wrangler builds, in workerd");
  if (process.platform !== "linux") {
    console.log("skipped: workerd's CPU time is read from /proc, which only Linux has");
    return;
  }
  const outdir = mkdtempSync(join(tmpdir(), "ce-gateway-bench-worker-"));
  try {
    const log = await wranglerBuild(outdir);
    const bundle = readFileSync(join(outdir, "worker.js"));
    const wranglerSize = /Total Upload: .*/.exec(log)?.[0] ?? "(wrangler printed no size)";
    console.log(
      `bundle (embedded default): ${(bundle.length / 1024).toFixed(1)} KiB raw, ` +
        `${(gzipSync(bundle, { level: 9 }).length / 1024).toFixed(1)} KiB gzip -9; wrangler: ${wranglerSize}`,
    );
    const ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    const compatibilityDate = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(
      readFileSync(join(root, "wrangler.toml"), "utf8"),
    )?.[1];
    const minimal = await measure(
      { modules: true, script: minimalWorker, compatibilityDate },
      ticksPerSecond,
    );
    const gateway = await measure(
      {
        modules: true,
        scriptPath: join(outdir, "worker.js"),
        modulesRoot: outdir,
        compatibilityDate,
        durableObjects: { NATS: { className: "NatsConnectionObject", useSQLite: true } },
      },
      ticksPerSecond,
    );
    console.log(
      `\n${EVENTS} structured events of ${event.length} bytes, ${CONCURRENCY} at a time over HTTP to the Worker's own socket; ` +
        `workerd CPU: user + system, all threads, ${1000 / ticksPerSecond} ms ticks, HTTP parsing included`,
    );
    console.log("| case | workerd CPU per event (ms) | events/s | CPU vs baseline |");
    console.log("|---|---:|---:|---:|");
    for (const [name, result] of [
      ["minimal Worker (baseline)", minimal],
      ["ce-gateway Worker (stdout target, schema check)", gateway],
    ]) {
      console.log(
        `| ${name} | ${result.cpuPerEventMs.toFixed(3)} | ${Math.round(result.eventsPerSecond)} | ${(result.cpuPerEventMs / minimal.cpuPerEventMs).toFixed(2)}x |`,
      );
    }
    console.log(
      `ce-gateway's own CPU per event (difference): ${(gateway.cpuPerEventMs - minimal.cpuPerEventMs).toFixed(3)} ms`,
    );
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

// `node bench/workers.js` runs this one alone.
if (import.meta.url === `file://${process.argv[1]}`) await run();
