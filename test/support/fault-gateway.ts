/**
 * The gateway as fault tests run it: the real `ce-gateway serve` process on
 * a config written to a temporary file, and its `/status` read back.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import type { GuardStatus } from "../../src/deliver/target-guard.js";
import { type RunningCli, startCli } from "./cli-process.js";

export interface FaultGateway {
  readonly cli: RunningCli;
  readonly url: string;
  /** The config file it runs on (for CLI commands that take `--config`). */
  readonly configFile: string;
  stop(): Promise<void>;
}

export interface TargetStatusEntry {
  readonly type: string;
  readonly ready: boolean;
  readonly error?: string;
  readonly delivery: GuardStatus;
}

export function writeTempConfig(yaml: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "ce-gateway-fault-")), "gateway.yaml");
  writeFileSync(file, yaml);
  return file;
}

export async function startGateway(yaml: string): Promise<FaultGateway> {
  const configFile = writeTempConfig(yaml);
  const cli = await startCli(["serve", "--config", configFile, "--port", "0"]);
  return {
    cli,
    url: cli.url,
    configFile,
    async stop() {
      await cli.stop("SIGKILL");
    },
  };
}

export async function targetStatus(url: string, target: string): Promise<TargetStatusEntry> {
  const status = (await (await fetch(`${url}/status`)).json()) as {
    targets: Record<string, TargetStatusEntry>;
  };
  const entry = status.targets[target];
  if (entry === undefined) throw new Error(`/status lists no target "${target}"`);
  return entry;
}

/** Anything a fault test starts and must end: a gateway, a nats-server, a receiver. */
export type Started =
  | { stop(): Promise<unknown> }
  | { dispose(): Promise<unknown> }
  | { close(): Promise<unknown> };

async function end(started: Started): Promise<void> {
  if ("stop" in started) await started.stop();
  else if ("dispose" in started) await started.dispose();
  else await started.close();
}

/**
 * Ends, after each test, what `held` lists at that moment, in its order (the
 * gateway before the servers it talks to), so no process outlives its test.
 */
export function endAfterEach(held: () => readonly (Started | undefined)[]): void {
  afterEach(async () => {
    for (const started of held()) if (started !== undefined) await end(started);
  });
}
