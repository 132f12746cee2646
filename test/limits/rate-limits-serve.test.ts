/** Rate limits in a real `ce-gateway serve` process: a credential's burst, then 429 with Retry-After. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type RunningCli, startCli } from "../support/cli-process.js";
import { problemOf } from "../support/gateway.js";
import { type HttpReceiver, startHttpReceiver } from "../support/http-receiver.js";
import {
  eventBody,
  headersFor,
  KEY_A,
  KEY_B,
  MAX_RETRY_AFTER,
  PER_CREDENTIAL,
  RATE_LIMIT_CONFIG,
} from "./rate-limit-config.js";

let receiver: HttpReceiver;
let server: RunningCli;

beforeAll(async () => {
  receiver = await startHttpReceiver();
  const dir = mkdtempSync(join(tmpdir(), "ce-gateway-limits-"));
  const configPath = join(dir, "gateway.yaml");
  writeFileSync(configPath, RATE_LIMIT_CONFIG);
  server = await startCli(["serve", "--config", configPath, "--port", "0"], { HOOK_URL: receiver.url });
}, 60_000);

afterAll(async () => {
  await Promise.all([server?.stop(), receiver?.close()]);
});

const post = (headers: Record<string, string>, id: string) =>
  fetch(`${server.url}/events`, { method: "POST", headers, body: eventBody(id) });

it("admits a credential's burst, then answers 429 with Retry-After; another credential is unaffected", async () => {
  for (let i = 0; i < PER_CREDENTIAL.burst; i++)
    expect((await post(headersFor(KEY_A), `a-${i}`)).status).toBe(202);
  const refused = await post(headersFor(KEY_A), "a-over");
  expect(refused.status).toBe(429);
  const retryAfter = Number(refused.headers.get("retry-after"));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(MAX_RETRY_AFTER);
  const problem = await problemOf(refused as Response);
  expect(problem.code).toBe("rate-limited");
  expect(problem.errors?.[0]?.code).toBe("per-credential");
  expect((await post(headersFor(KEY_B), "b-0")).status).toBe(202);
  expect(receiver.requests.map((r) => JSON.parse(new TextDecoder().decode(r.body)).id)).toEqual([
    "a-0",
    "a-1",
    "b-0",
  ]);
});
