/**
 * Sources end to end, on both runtimes: the same requests sent to
 * `ce-gateway serve` (a real Node server process) and to the Worker wrangler
 * builds (run in workerd), each delivering to a local HTTP receiver. What the
 * receiver gets is the proof: the CloudEvent each source made.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningCli, startCli } from "../support/cli-process.js";
import { type HttpReceiver, startHttpReceiver } from "../support/http-receiver.js";
import { type JwksServer, startJwksServer } from "../support/jwks-server.js";
import { runBuiltWorker, wranglerBuild } from "../support/wrangler-build.js";
import { googleKey } from "./cloud-end-to-end-cases.js";
import { SOURCE_CASES, SOURCES_CONFIG, sourceSettings } from "./end-to-end-cases.js";
import { publishWithOfficialClients } from "./publish-clients-end-to-end.js";
import {
  PUBLISH_CASES,
  preparePublishCases,
  publishSettings,
  publishSourcesYaml,
} from "./publish-end-to-end-cases.js";

interface Runtime {
  readonly name: string;
  /** Where clients reach it over HTTP. */
  readonly url: string;
  send(
    path: string,
    init: { headers: Record<string, string>; body: string },
  ): Promise<{ status: number; text: string }>;
}

let receiver: HttpReceiver;
let googleKeys: JwksServer;
let server: RunningCli;
let worker: Miniflare;
const runtimes: Runtime[] = [];

beforeAll(async () => {
  receiver = await startHttpReceiver();
  googleKeys = await startJwksServer([await googleKey]);
  const dir = mkdtempSync(join(tmpdir(), "ce-gateway-sources-"));
  const configPath = join(dir, "gateway.yaml");
  await preparePublishCases();
  writeFileSync(configPath, SOURCES_CONFIG + publishSourcesYaml());
  const settings = { ...sourceSettings(receiver.url, googleKeys.url), ...publishSettings };
  const [served, build] = await Promise.all([
    startCli(["serve", "--config", configPath, "--port", "0"], settings),
    wranglerBuild({ gatewayConfig: configPath }),
  ]);
  server = served;
  worker = await runBuiltWorker(build.outdir, { bindings: settings });
  const workerUrl = (await worker.ready).origin;
  runtimes.push(
    {
      name: "node",
      url: server.url,
      async send(path, init) {
        const response = await fetch(`${server.url}${path}`, { method: "POST", ...init });
        return { status: response.status, text: await response.text() };
      },
    },
    {
      name: "workers",
      url: workerUrl,
      async send(path, init) {
        const response = await worker.dispatchFetch(`http://gateway${path}`, { method: "POST", ...init });
        return { status: response.status, text: await response.text() };
      },
    },
  );
}, 180_000);

afterAll(async () => {
  await Promise.all([server?.stop(), worker?.dispose(), receiver?.close(), googleKeys?.close()]);
});

/** The structured-mode events the receiver got at `path` since `from`. */
function receivedSince(from: number, path: string): Record<string, unknown>[] {
  return receiver.requests
    .slice(from)
    .filter((r) => r.path === path)
    .map((r) => JSON.parse(new TextDecoder().decode(r.body)) as Record<string, unknown>);
}

describe.each(["node", "workers"])("sources on %s", (runtimeName) => {
  const runtime = () => runtimes.find((r) => r.name === runtimeName) as Runtime;

  it.each([...SOURCE_CASES, ...PUBLISH_CASES])("$name", async (c) => {
    const request = await c.request();
    const before = receiver.requests.length;
    const answer = await runtime().send(request.path, request);
    expect(answer.status, answer.text).toBe(c.status);
    const delivered = receivedSince(before, c.deliveredTo ?? "/none");
    c.check?.(delivered, answer.text);
    if (c.deliveredTo === undefined) expect(receiver.requests.length).toBe(before);
  });
});

describe.each(["node", "workers"])("cloud publish APIs on %s, with the official clients", (runtimeName) => {
  publishWithOfficialClients(() => ({
    url: (runtimes.find((r) => r.name === runtimeName) as Runtime).url,
    receivedSince: (from) => receivedSince(from, "/sources"),
    requestCount: () => receiver.requests.length,
  }));
});
