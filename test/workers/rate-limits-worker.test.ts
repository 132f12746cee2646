/**
 * Rate limits in the Worker wrangler builds, run in workerd: the buckets live
 * in RateLimitObject Durable Objects (bound as RATE_LIMITS), so every isolate
 * shares them. A credential's burst, then 429 with Retry-After; the
 * handshake's rate per origin; a Worker with limits and no binding refuses
 * to run rather than count per isolate.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  eventBody,
  headersFor,
  KEY_A,
  KEY_B,
  MAX_RETRY_AFTER,
  PER_CREDENTIAL,
  RATE_LIMIT_CONFIG,
} from "../limits/rate-limit-config.js";
import { type HttpReceiver, startHttpReceiver } from "../support/http-receiver.js";
import {
  compatibilityDate,
  runBuiltWorker,
  workerProblem,
  wranglerBuild,
} from "../support/wrangler-build.js";

let receiver: HttpReceiver;
let outdir: string;
let worker: Miniflare;

beforeAll(async () => {
  receiver = await startHttpReceiver();
  const dir = mkdtempSync(join(tmpdir(), "ce-gateway-limits-worker-"));
  const configPath = join(dir, "gateway.yaml");
  writeFileSync(configPath, RATE_LIMIT_CONFIG);
  const build = await wranglerBuild({ gatewayConfig: configPath });
  outdir = build.outdir;
  worker = await runBuiltWorker(outdir, { bindings: { HOOK_URL: receiver.url } });
}, 180_000);

afterAll(async () => {
  await Promise.all([worker?.dispose(), receiver?.close()]);
});

const post = (headers: Record<string, string>, id: string) =>
  worker.dispatchFetch("http://gateway/events", { method: "POST", headers, body: eventBody(id) });

function retryAfterOf(response: { headers: { get(name: string): string | null } }): number {
  const seconds = Number(response.headers.get("retry-after"));
  expect(Number.isInteger(seconds)).toBe(true);
  expect(seconds).toBeGreaterThanOrEqual(1);
  return seconds;
}

const delivered = () => receiver.requests.map((r) => JSON.parse(new TextDecoder().decode(r.body)).id);

describe("rate limits on the built Worker", () => {
  it("admits a credential's burst, then answers 429 with Retry-After; the other key keeps its own", async () => {
    for (let i = 0; i < PER_CREDENTIAL.burst; i++) {
      const response = await post(headersFor(KEY_A), `a-${i}`);
      expect(response.status, await response.text()).toBe(202);
    }
    const refused = await post(headersFor(KEY_A), "a-over");
    expect(refused.status).toBe(429);
    expect(retryAfterOf(refused)).toBeLessThanOrEqual(MAX_RETRY_AFTER);
    const problem = await workerProblem(refused);
    expect(problem.code).toBe("rate-limited");
    expect(problem.errors?.[0]?.code).toBe("per-credential");
    expect(delivered()).toEqual(["a-0", "a-1"]);
  }, 60_000);

  it("holds each origin to the handshake's rate, and gives back the credential's token it refused", async () => {
    expect((await post(headersFor(KEY_B, "one.example"), "b-0")).status).toBe(202);
    const refused = await post(headersFor(KEY_B, "one.example"), "b-over");
    expect(refused.status).toBe(429);
    expect(retryAfterOf(refused)).toBeLessThanOrEqual(60);
    expect((await workerProblem(refused)).errors?.[0]?.code).toBe("webhook-origin");
    // B's second token was given back when its origin was refused.
    expect((await post(headersFor(KEY_B, "two.example"), "b-1")).status).toBe(202);
    const spent = await post(headersFor(KEY_B, "three.example"), "b-over");
    expect(spent.status).toBe(429);
    expect((await workerProblem(spent)).errors?.[0]?.code).toBe("per-credential");
    expect(delivered()).toEqual(["a-0", "a-1", "b-0", "b-1"]);
  }, 60_000);

  it("answers 503 naming RATE_LIMITS when the config sets limits and the binding is missing", async () => {
    const unbound = new Miniflare({
      modules: true,
      scriptPath: join(outdir, "worker.js"),
      modulesRoot: outdir,
      compatibilityDate: compatibilityDate(),
      bindings: { HOOK_URL: receiver.url },
      durableObjects: { NATS: { className: "NatsConnectionObject", useSQLite: true } },
    });
    try {
      const response = await unbound.dispatchFetch("http://gateway/events", {
        method: "POST",
        headers: headersFor(KEY_A),
        body: eventBody("unbound"),
      });
      expect(response.status).toBe(503);
      const problem = await workerProblem(response);
      expect(problem.code).toBe("deployment-incomplete");
      expect(problem.errors?.[0]?.pointer).toBe("RATE_LIMITS");
    } finally {
      await unbound.dispose();
    }
  }, 60_000);
});
