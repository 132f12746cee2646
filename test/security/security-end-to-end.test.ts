/**
 * Authentication and grants end to end, on both runtimes: the same requests
 * sent to `ce-gateway serve` (a real Node server process) and to the Worker
 * wrangler builds (run in workerd), delivering to a local HTTP receiver.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningCli, startCli } from "../support/cli-process.js";
import { type HttpReceiver, startHttpReceiver } from "../support/http-receiver.js";
import { runBuiltWorker, wranglerBuild } from "../support/wrangler-build.js";
import { SECURITY_CONFIG, securityCases, securitySettings } from "./security-cases.js";

interface Answer {
  readonly status: number;
  readonly contentType: string | null;
  readonly text: string;
}

type Send = (path: string, init: { headers: Record<string, string>; body: string }) => Promise<Answer>;

let receiver: HttpReceiver;
let server: RunningCli;
let worker: Miniflare;
const runtimes = new Map<string, Send>();

beforeAll(async () => {
  receiver = await startHttpReceiver();
  const dir = mkdtempSync(join(tmpdir(), "ce-gateway-security-"));
  const configPath = join(dir, "gateway.yaml");
  writeFileSync(configPath, SECURITY_CONFIG);
  const settings = securitySettings(receiver.url);
  const [served, build] = await Promise.all([
    startCli(["serve", "--config", configPath, "--port", "0"], settings),
    wranglerBuild({ gatewayConfig: configPath }),
  ]);
  server = served;
  worker = await runBuiltWorker(build.outdir, { bindings: settings });
  runtimes.set("node", async (path, init) => {
    const response = await fetch(`${server.url}${path}`, { method: "POST", ...init });
    return {
      status: response.status,
      contentType: response.headers.get("content-type"),
      text: await response.text(),
    };
  });
  runtimes.set("workers", async (path, init) => {
    const response = await worker.dispatchFetch(`http://gateway${path}`, { method: "POST", ...init });
    return {
      status: response.status,
      contentType: response.headers.get("content-type"),
      text: await response.text(),
    };
  });
}, 180_000);

afterAll(async () => {
  await Promise.all([server?.stop(), worker?.dispose(), receiver?.close()]);
});

describe.each(["node", "workers"])("authentication and grants on %s", (runtimeName) => {
  it.each(securityCases())("$name", async (c) => {
    const send = runtimes.get(runtimeName) as Send;
    const before = receiver.requests.length;
    const answer = await send(c.path, { headers: c.headers, body: c.body });
    expect(answer.status, answer.text).toBe(c.status);
    if (c.code !== undefined) {
      expect(answer.contentType).toBe("application/problem+json");
      const problem = JSON.parse(answer.text) as {
        code: string;
        errors?: { pointer: string; code: string }[];
      };
      expect(problem.code).toBe(c.code);
      if (c.pointer !== undefined) {
        expect(problem.errors).toContainEqual(
          expect.objectContaining({ pointer: c.pointer, code: "not-granted" }),
        );
      }
    }
    expect(receiver.requests.length - before).toBe(c.delivered);
  });
});
