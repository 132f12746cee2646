/**
 * Runs the real `ce-gateway` command as a child process (the built CLI, under
 * this same Node) and waits until it listens.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

export const projectRoot = fileURLToPath(new URL("../..", import.meta.url));
const bin = fileURLToPath(new URL("../../bin/ce-gateway.js", import.meta.url));

export interface RunningCli {
  readonly child: ChildProcess;
  readonly url: string;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

export function runCli(
  args: string[],
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): { child: ChildProcess; exited: Promise<number | null>; output: () => { stdout: string; stderr: string } } {
  const child = spawn(process.execPath, [...nodeArgs, bin, ...args], {
    cwd: projectRoot,
    env: { ...process.env, PORT: "", HOST: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

/** `nodeArgs` go to Node itself (`--max-old-space-size=256`). */
export async function startCli(
  args: string[],
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<RunningCli> {
  const run = runCli(args, env, nodeArgs);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line: ${run.output().stderr}`)), 15_000);
    const check = () => {
      const match = /"url":"(https?:[^"]+)"/.exec(run.output().stderr);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    run.child.stderr?.on("data", check);
    run.exited.then((code) => reject(new Error(`exited with ${code}: ${run.output().stderr}`)));
  });
  return {
    child: run.child,
    url,
    stdout: () => run.output().stdout,
    stderr: () => run.output().stderr,
    exited: run.exited,
    async stop(signal = "SIGTERM") {
      if (run.child.exitCode === null) run.child.kill(signal);
      return run.exited;
    },
  };
}
