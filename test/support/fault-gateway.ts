/**
 * The gateway as fault tests run it: the real `ce-gateway serve` process on
 * a config written to a temporary file, and its `/status` read back.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
