/**
 * Builds the Worker the way a user deploys it, `npx wrangler deploy --dry-run`
 * with the committed wrangler.toml (whose custom build step runs
 * `ce-gateway build --target workers`, then wrangler's own bundler), and runs
 * the bundle wrangler wrote in workerd through Miniflare's API. No network and
 * no Cloudflare account are needed.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { Miniflare, type MiniflareOptions, type Response as MiniflareResponse } from "miniflare";
import { freePort, projectRoot } from "./cli-process.js";
import { type ProblemJson, problemOf } from "./gateway.js";

export interface WranglerBuild {
  /** What wrangler printed (stdout and stderr), the custom build's output included. */
  readonly log: string;
  /** The directory given to `--outdir`. */
  readonly outdir: string;
  /** Every file wrangler wrote there (names). */
  readonly files: readonly string[];
  /** The Worker's main module: one ES module, everything bundled in. */
  readonly bundlePath: string;
  readonly text: string;
  readonly rawBytes: number;
  readonly gzipBytes: number;
}

export class WranglerBuildError extends Error {
  constructor(
    readonly exitCode: number | null,
    readonly log: string,
  ) {
    super(`wrangler deploy --dry-run exited with ${exitCode}:\n${log}`);
  }
}

/** The environment wrangler needs to work offline and without a login, and the gateway config to build. */
function wranglerEnv(gatewayConfig: string | undefined, logDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // npx and the build step's scripts run the Node that runs the tests.
    PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ""}`,
    WRANGLER_SEND_METRICS: "false",
    // The banner asks the registry for a newer wrangler; a test has no use for that.
    WRANGLER_HIDE_BANNER: "true",
    WRANGLER_LOG_PATH: logDir,
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
  };
  delete env.CE_GATEWAY_CONFIG;
  if (gatewayConfig !== undefined) env.CE_GATEWAY_CONFIG = gatewayConfig;
  return env;
}

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; log: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: projectRoot, env, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stdout.on("data", (chunk: Buffer) => {
      log += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      log += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, log }));
  });
}

/**
 * The build step writes `.ce-gateway/` in the project root, which test files
 * running at the same time share: builds take turns (a directory made
 * atomically is the lock; one left by a killed run is taken after a while).
 */
async function inTurn<T>(task: () => Promise<T>): Promise<T> {
  const lock = join(projectRoot, ".ce-gateway", ".build-lock");
  mkdirSync(dirname(lock), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 180_000) rmSync(lock, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    return await task();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Runs `npx wrangler deploy --dry-run --outdir <tmp>` from the project root.
 * `gatewayConfig` becomes CE_GATEWAY_CONFIG (unset: the embedded default);
 * `wranglerArgs` are added to the command line (e.g. `--config`).
 */
export async function wranglerBuild(
  options: { gatewayConfig?: string; wranglerArgs?: readonly string[] } = {},
): Promise<WranglerBuild> {
  const outdir = mkdtempSync(join(tmpdir(), "ce-gateway-wrangler-"));
  const args = [
    "--no",
    "wrangler",
    "deploy",
    "--dry-run",
    "--outdir",
    outdir,
    ...(options.wranglerArgs ?? []),
  ];
  const env = wranglerEnv(options.gatewayConfig, join(outdir, ".logs"));
  const { code, log } = await inTurn(() => run("npx", args, env));
  if (code !== 0) throw new WranglerBuildError(code, log);
  const bundlePath = join(outdir, "worker.js");
  const bytes = readFileSync(bundlePath);
  return {
    log,
    outdir,
    files: readdirSync(outdir).filter((name) => name !== ".logs"),
    bundlePath,
    text: bytes.toString("utf8"),
    rawBytes: bytes.length,
    gzipBytes: gzipSync(bytes, { level: 9 }).length,
  };
}

/** `compatibility_date` from the committed wrangler.toml, so the tests run what a deployment runs. */
export function compatibilityDate(): string {
  const toml = readFileSync(join(projectRoot, "wrangler.toml"), "utf8");
  const date = /^compatibility_date\s*=\s*"(\d{4}-\d{2}-\d{2})"/m.exec(toml)?.[1];
  if (date === undefined) throw new Error("wrangler.toml has no compatibility_date");
  return date;
}

export interface BuiltWorkerOptions {
  /** The Worker's vars and secrets. */
  readonly bindings?: Record<string, string>;
  /** More Durable Object bindings than the NATS, RATE_LIMITS and DEDUP ones wrangler.toml declares. */
  readonly durableObjects?: MiniflareOptions["durableObjects"];
  /** Queue producer bindings and the queues this Worker consumes (the outbox's). */
  readonly queueProducers?: MiniflareOptions["queueProducers"];
  readonly queueConsumers?: MiniflareOptions["queueConsumers"];
  /** Receives each line the Worker writes to the console (its logs, and what the stdout target writes). */
  readonly onConsole?: (line: string) => void;
}

/**
 * Loads what wrangler wrote into workerd: the bundle as the Worker's main ES
 * module, the NATS, rate-limit and dedup Durable Objects bound as wrangler.toml binds them (SQLite-backed).
 * The caller disposes the instance.
 */
export async function runBuiltWorker(outdir: string, options: BuiltWorkerOptions = {}): Promise<Miniflare> {
  const mf = new Miniflare({
    modules: true,
    scriptPath: join(outdir, "worker.js"),
    modulesRoot: outdir,
    compatibilityDate: compatibilityDate(),
    bindings: options.bindings ?? {},
    durableObjects: {
      NATS: { className: "NatsConnectionObject", useSQLite: true },
      RATE_LIMITS: { className: "RateLimitObject", useSQLite: true },
      DEDUP: { className: "DedupObject", useSQLite: true },
      ...options.durableObjects,
    },
    ...(options.queueProducers && { queueProducers: options.queueProducers }),
    ...(options.queueConsumers && { queueConsumers: options.queueConsumers }),
    ...(options.onConsole && {
      handleStructuredLogs: ({ message }: { message: string }): void => {
        options.onConsole?.(message);
      },
    }),
  });
  await mf.ready;
  return mf;
}

/**
 * The problem+json a Worker in Miniflare answered with (its responses are
 * undici's, which the global Response type does not accept; the body is the same).
 */
export function workerProblem(response: MiniflareResponse): Promise<ProblemJson> {
  return problemOf(response as unknown as Response);
}

export interface WranglerDev {
  /** Where `wrangler dev` listens, e.g. http://127.0.0.1:PORT. */
  readonly url: string;
  log(): string;
  stop(): Promise<void>;
}

/**
 * Runs `npx wrangler dev` from the project root on 127.0.0.1 (its custom build
 * step included), with `gatewayConfig` as CE_GATEWAY_CONFIG and `vars` as the
 * Worker's vars; resolves once wrangler says it is ready.
 */
export async function startWranglerDev(
  options: { gatewayConfig?: string; vars?: Record<string, string> } = {},
): Promise<WranglerDev> {
  const logDir = mkdtempSync(join(tmpdir(), "ce-gateway-wrangler-dev-"));
  const port = await freePort();
  const vars = Object.entries(options.vars ?? {}).flatMap(([name, value]) => ["--var", `${name}:${value}`]);
  const args = ["--no", "wrangler", "dev", "--ip", "127.0.0.1", "--port", String(port), ...vars];
  const env = wranglerEnv(options.gatewayConfig, logDir);
  // Its own process group: npx, wrangler and workerd end together.
  const child = spawn("npx", args, {
    cwd: projectRoot,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let log = "";
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  const stop = async () => {
    if (child.exitCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // Already gone.
      }
      await exited;
    }
    rmSync(logDir, { recursive: true, force: true });
  };
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (/Ready on http/.test(log)) resolve();
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    void exited.then((code) => reject(new Error(`wrangler dev exited with ${code}:\n${log}`)));
  });
  try {
    await inTurn(() => ready);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `http://127.0.0.1:${port}`, log: () => log, stop };
}
