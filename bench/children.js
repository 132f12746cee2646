/**
 * Every process and temporary folder a benchmark run starts, so that all of
 * them go away however the run ends: normally, on an error, or on Ctrl-C.
 * A left-over server would keep its port and skew the next run's figures.
 */
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";

/** @type {Set<import("node:child_process").ChildProcess>} */
const running = new Set();
/** @type {Set<string>} */
const folders = new Set();

/**
 * `spawn`, remembered until the process exits. Keeps the last 64 KiB of its
 * stdout and stderr (for error messages) unless `stdio` says otherwise.
 * @param {string} command
 * @param {string[]} args
 * @param {import("node:child_process").SpawnOptions} [options]
 */
export function spawnChild(command, args, options = {}) {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
  running.add(child);
  const output = { text: "", first: "", bytes: 0 };
  const keep = (chunk) => {
    if (output.bytes < 1024) output.first += chunk;
    output.bytes += chunk.length;
    output.text = (output.text + chunk).slice(-65_536);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise((resolve) => {
    child.once("exit", (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
    child.once("error", (error) => {
      running.delete(child);
      output.text += `\n${error.message}`;
      resolve({ code: -1, signal: null });
    });
  });
  return { child, output, exited };
}

/**
 * SIGTERM, then SIGKILL if it has not exited after `graceMs`.
 * @param {{ child: import("node:child_process").ChildProcess, exited: Promise<unknown> }} handle
 */
export async function stopChild(handle, graceMs = 3000) {
  if (handle.child.exitCode !== null || handle.child.signalCode !== null) return handle.exited;
  handle.child.kill("SIGTERM");
  const timer = setTimeout(() => handle.child.kill("SIGKILL"), graceMs);
  const result = await handle.exited;
  clearTimeout(timer);
  return result;
}

/** A temporary folder removed when the run ends. */
export function removeOnExit(folder) {
  folders.add(folder);
  return folder;
}

/** Synchronous, so it also works from the `exit` event. */
export function killEverything() {
  for (const child of running) child.kill("SIGKILL");
  running.clear();
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  folders.clear();
}

let installed = false;
/** Ends every child on exit, on SIGINT/SIGTERM/SIGHUP, and on an uncaught error. */
export function installCleanup() {
  if (installed) return;
  installed = true;
  process.on("exit", killEverything);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.on(signal, () => {
      console.error(`\n${signal}: stopping every benchmark process`);
      killEverything();
      process.exit(130);
    });
  }
  const fail = (error) => {
    console.error(error?.stack ?? error);
    killEverything();
    process.exit(1);
  };
  process.on("uncaughtException", fail);
  process.on("unhandledRejection", fail);
}
