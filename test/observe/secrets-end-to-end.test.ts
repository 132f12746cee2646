/**
 * Secrets stay out of what the gateway writes, on both runtimes: a real
 * `ce-gateway serve` process (its stdout and stderr) and the Worker wrangler
 * builds, run in workerd (its console), are given secrets in their settings
 * and sent secret-bearing requests; a target that echoes what it was sent
 * brings the config's secrets back as free text.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningCli, startCli } from "../support/cli-process.js";
import { type EchoReceiver, startEchoReceiver } from "../support/echo-receiver.js";
import { runBuiltWorker, wranglerBuild } from "../support/wrangler-build.js";

const APP_KEY = "ceg_app_e2e_redact_6e2b9d4f1a";
const SETTINGS = {
  TARGET_BEARER: "e2e-target-bearer-secret-71c3",
  URL_CODE: "e2e-function-code-secret-2d8f",
  HMAC_SECRET: "e2e-hmac-signing-secret-9a4e",
};
const CLIENT_QUERY_TOKEN = "e2e-client-query-token-5b1d";
const CLIENT_BEARER = "e2e-client-bearer-secret-3f7a";
const ALL_SECRETS = [APP_KEY, CLIENT_QUERY_TOKEN, CLIENT_BEARER, ...Object.values(SETTINGS)];

const CONFIG = `version: 1
targets:
  echo:
    type: http
    url: "\${env:HOOK_URL}/hook?code=\${env:URL_CODE}"
    mode: structured
    headers: { Authorization: "Bearer \${env:TARGET_BEARER}" }
routes:
  - name: all
    to: [echo]
auth:
  apiKeys: [{ id: app, sha256: "${createHash("sha256").update(APP_KEY).digest("hex")}" }]
ingest:
  sources:
    - path: /hooks/signed
      type: hmac
      header: x-signature
      secrets: ["\${env:HMAC_SECRET}"]
      event: { type: "'com.example.hook'", source: "'/hooks'", id: "body.id" }
`;

const EVENT = JSON.stringify({ specversion: "1.0", id: "e-1", source: "/app", type: "com.example.created" });

interface Answer {
  readonly status: number;
  readonly text: string;
}
type Send = (
  path: string,
  init: { method: string; headers?: Record<string, string>; body?: string },
) => Promise<Answer>;

/** The requests each runtime gets: each carries or provokes a secret, and each must be refused. */
const REQUESTS: {
  name: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  status: number;
}[] = [
  {
    name: "a wrong bearer and access_token in the URL",
    path: `/events?access_token=${CLIENT_QUERY_TOKEN}`,
    headers: { "content-type": "application/cloudevents+json", authorization: `Bearer ${CLIENT_BEARER}` },
    body: EVENT,
    status: 401,
  },
  {
    name: "a good key whose event the target refuses, echoing the gateway's secrets",
    path: "/events",
    headers: { "content-type": "application/cloudevents+json", authorization: `Bearer ${APP_KEY}` },
    body: EVENT,
    status: 502,
  },
  {
    name: "a webhook with a wrong signature",
    path: "/hooks/signed",
    headers: { "content-type": "application/json", "x-signature": `sha256=${CLIENT_BEARER}` },
    body: JSON.stringify({ id: "h-1" }),
    status: 401,
  },
];

let receiver: EchoReceiver;
let server: RunningCli;
let worker: Miniflare;
const workerConsole: string[] = [];
const runtimes = new Map<string, { send: Send; output: () => string }>();

beforeAll(async () => {
  receiver = await startEchoReceiver();
  const dir = mkdtempSync(join(tmpdir(), "ce-gateway-secrets-"));
  const configPath = join(dir, "gateway.yaml");
  writeFileSync(configPath, CONFIG);
  const settings = { ...SETTINGS, HOOK_URL: receiver.url, LOG_LEVEL: "debug" };
  const [served, build] = await Promise.all([
    startCli(["serve", "--config", configPath, "--port", "0"], settings),
    wranglerBuild({ gatewayConfig: configPath }),
  ]);
  server = served;
  worker = await runBuiltWorker(build.outdir, {
    bindings: settings,
    onConsole: (line) => workerConsole.push(line),
  });
  runtimes.set("node", {
    send: async (path, init) => {
      const response = await fetch(`${server.url}${path}`, init);
      return { status: response.status, text: await response.text() };
    },
    output: () => `${server.stdout()}\n${server.stderr()}`,
  });
  runtimes.set("workers", {
    send: async (path, init) => {
      const response = await worker.dispatchFetch(`http://gateway${path}`, init);
      return { status: response.status, text: await response.text() };
    },
    output: () => workerConsole.join("\n"),
  });
}, 180_000);

afterAll(async () => {
  await Promise.all([server?.stop(), worker?.dispose(), receiver?.close()]);
});

function expectNoSecret(what: string, text: string) {
  for (const secret of ALL_SECRETS) expect(text, `${what} holds ${secret}`).not.toContain(secret);
}

describe.each(["node", "workers"])("secrets on %s", (name) => {
  it.each(REQUESTS)("answers $name without a secret", async (request) => {
    const runtime = runtimes.get(name);
    if (runtime === undefined) throw new Error(`no runtime ${name}`);
    const answer = await runtime.send(request.path, {
      method: "POST",
      headers: request.headers,
      body: request.body,
    });
    expect(answer.status, answer.text).toBe(request.status);
    expectNoSecret("the answer", answer.text);
  });

  it("shows no secret in /status", async () => {
    const runtime = runtimes.get(name);
    if (runtime === undefined) throw new Error(`no runtime ${name}`);
    const answer = await runtime.send("/status", { method: "GET" });
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('"echo"');
    expectNoSecret("/status", answer.text);
  });

  it("logged every request (debug) and the refused delivery, with no secret", async () => {
    const runtime = runtimes.get(name);
    if (runtime === undefined) throw new Error(`no runtime ${name}`);
    // The Worker's console lines arrive asynchronously: wait for the delivery failure's line.
    await expect.poll(() => runtime.output(), { timeout: 10_000 }).toContain("delivery failed");
    const output = runtime.output();
    expect(output).toContain("[redacted]");
    expectNoSecret(`the ${name} output`, output);
  });
});
