/**
 * `ce-gateway build --target workers` and the Worker it builds, run in
 * workerd: the config checked as `serve` checks it, refusals of what a Worker
 * cannot run, settings resolved from the Worker's environment (never from the
 * build's shell), schemas enforced by precompiled validators, and events
 * delivered to an HTTP receiver and to JetStream through the NATS Durable
 * Object, against a real nats-server.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot, runCli } from "../support/cli-process.js";
import type { FakePubsub } from "../support/fake-pubsub/index.js";
import { fakePubsubWithServiceAccount } from "../support/fake-pubsub/service-account.js";
import { type HttpReceiver, startHttpReceiver } from "../support/http-receiver.js";
import { type NatsServer, startNatsServer } from "../support/nats-server.js";
import { bundleForWorkerd } from "../support/workerd-bundle.js";

const CONFIG = `version: 1
targets:
  hook: { type: http, url: "\${env:HOOK_URL}", mode: binary, headers: { authorization: "Bearer \${env:HOOK_TOKEN}" } }
  bus: { type: nats, url: "\${env:NATS_URL}", subject: "orders.{type}", jetstream: { stream: ORDERS } }
routes:
  - name: orders
    filters: [{ prefix: { type: com.example.order. } }]
    to: [hook, bus]
  - name: rest
    to: [hook]
`;

async function build(configText: string, env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "ce-gateway-worker-"));
  writeFileSync(join(dir, "gateway.yaml"), configText);
  cpSync(join(projectRoot, "schemas"), join(dir, "schemas"), { recursive: true });
  const out = join(dir, "out");
  const run = runCli(
    ["build", "--target", "workers", "--config", join(dir, "gateway.yaml"), "--out", out],
    env,
  );
  const code = await run.exited;
  return { code, out, ...run.output() };
}

let nats: NatsServer;
let receiver: HttpReceiver;
let outDir: string;
let script: string;
const workers: Miniflare[] = [];

async function worker(bindings: Record<string, string>): Promise<Miniflare> {
  const mf = new Miniflare({
    modules: true,
    script,
    compatibilityDate: "2025-09-01",
    durableObjects: { NATS: { className: "NatsConnectionObject", useSQLite: true } },
    bindings,
  });
  workers.push(mf);
  return mf;
}

const order = (id: string, data: unknown) => ({
  method: "POST",
  headers: { "content-type": "application/cloudevents+json" },
  body: JSON.stringify({ specversion: "1.0", id, source: "/shop", type: "com.example.order.created", data }),
});

beforeAll(async () => {
  [nats, receiver] = await Promise.all([startNatsServer(), startHttpReceiver()]);
  const nc = await connect({ servers: nats.url });
  await (await jetstreamManager(nc)).streams.add({ name: "ORDERS", subjects: ["orders.>"] });
  await nc.close();
  // The build's shell has a value for the token: it may help check the config but must not be baked in.
  const built = await build(CONFIG, { HOOK_TOKEN: "shell-secret-never-bundled" });
  expect(built.code, built.stderr).toBe(0);
  outDir = built.out;
  script = await bundleForWorkerd({ entry: join(outDir, "worker.js") });
}, 120_000);

afterAll(async () => {
  await Promise.all(workers.map((mf) => mf.dispose()));
  await Promise.all([nats?.dispose(), receiver?.close()]);
});

describe("ce-gateway build --target workers", () => {
  it("keeps every ${env:} a placeholder and bakes in none of the shell's values", () => {
    const module = readFileSync(join(outDir, "worker.js"), "utf8");
    expect(module).toContain("${env:HOOK_TOKEN}");
    expect(module).toContain("${env:NATS_URL}");
    expect(module).not.toContain("shell-secret-never-bundled");
    expect(script).not.toContain("shell-secret-never-bundled");
  });

  it("delivers to the HTTP receiver and to JetStream through the Durable Object, with settings from the Worker", async () => {
    const mf = await worker({
      HOOK_URL: `${receiver.url}/hook`,
      HOOK_TOKEN: "worker-secret",
      NATS_URL: nats.url,
    });
    const response = await mf.dispatchFetch(
      "http://gateway/events",
      order("w-1", { orderId: 1, total: 2.5 }),
    );
    expect(response.status, await response.clone().text()).toBe(202);
    const received = receiver.requests.find((r) => r.headers["ce-id"] === "w-1");
    expect(received?.headers.authorization).toBe("Bearer worker-secret");
    expect(received?.headers["content-type"]).toBe("application/json");
    const nc = await connect({ servers: nats.url });
    const info = await (await jetstreamManager(nc)).streams.info("ORDERS");
    await nc.close();
    expect(info.state.messages).toBeGreaterThanOrEqual(1);
  });

  it("enforces the schemas compiled into the build: 422 naming the field", async () => {
    const mf = await worker({ HOOK_URL: `${receiver.url}/hook`, HOOK_TOKEN: "t", NATS_URL: nats.url });
    const response = await mf.dispatchFetch(
      "http://gateway/events",
      order("w-2", { orderId: 2, total: "2.50" }),
    );
    expect(response.status).toBe(422);
    const problem = (await response.json()) as { errors: { pointer: string }[] };
    expect(problem.errors).toContainEqual(expect.objectContaining({ pointer: "/data/total" }));
  });

  it("answers 503 naming a setting the Worker's environment lacks", async () => {
    const mf = await worker({ HOOK_URL: `${receiver.url}/hook`, NATS_URL: nats.url });
    const response = await mf.dispatchFetch("http://gateway/events", order("w-3", { orderId: 3, total: 1 }));
    expect(response.status).toBe(503);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const problem = (await response.json()) as {
      code: string;
      errors: { pointer: string; detail: string }[];
    };
    expect(problem.code).toBe("deployment-incomplete");
    expect(problem.errors).toEqual([
      expect.objectContaining({
        pointer: "targets.hook.headers.authorization",
        detail: expect.stringContaining("HOOK_TOKEN"),
      }),
    ]);
  });

  it("refuses what a Worker cannot run, naming line and column", async () => {
    const refused = await build(
      'targets:\n  ps: { type: pubsub, projectId: p, topic: orders }\n  grid: { type: eventgrid, endpoint: https://x.westeurope-1.eventgrid.azure.net/api/events, key: "${env:K}", api: sdk }\n  bus: { type: nats, url: nats://127.0.0.1:4222, subject: s, creds: /etc/nats.creds }\nroutes:\n  - { name: all, to: [ps, grid, bus] }\n',
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/gateway\.yaml:2:\d+: targets\.ps\.api: .*set api: rest/);
    expect(refused.stderr).toMatch(/gateway\.yaml:3:\d+: targets\.grid\.api: .*set api: rest/);
    expect(refused.stderr).toMatch(/targets\.bus: NATS option `creds` names a file/);
  });

  it("refuses an outbox a Worker cannot keep, and ordering a queue outbox cannot keep", async () => {
    const log = await build(
      "targets:\n  hook: { type: http, url: http://x }\nroutes:\n  - { name: all, to: [hook], ack: async }\ndelivery:\n  outbox: { type: log, dir: outbox }\n",
    );
    expect(log.code).toBe(1);
    expect(log.stderr).toMatch(/delivery\.outbox\.type: a Worker cannot keep a log outbox: use type queue/);
    const ordered = await build(
      'targets:\n  hook: { type: http, url: http://x }\n  ps: { type: pubsub, api: rest, projectId: p, topic: t, orderingKey: "{subject}" }\nroutes:\n  - { name: keyed, to: [hook], ack: async, orderingKey: "{subject}" }\n  - { name: to-pubsub, to: [ps], ack: async }\n  - { name: sync, to: [hook] }\ndelivery:\n  outbox: { type: queue }\n',
    );
    expect(ordered.code).toBe(1);
    expect(ordered.stderr).toMatch(/routes\[0\]\.orderingKey: ordering is not supported: a queue outbox/);
    expect(ordered.stderr).toMatch(/routes\[1\]\.to\[0\]: target "ps" sets an ordering key/);
    const unordered = await build(
      "targets:\n  hook: { type: http, url: http://x }\nroutes:\n  - { name: all, to: [hook], ack: async }\ndelivery:\n  outbox: { type: queue, binding: EVENTS_OUTBOX }\n",
    );
    expect(unordered.code, unordered.stderr).toBe(0);
  });

  it("refuses ${file:} secrets, which a Worker cannot read", async () => {
    const refused = await build(
      'targets:\n  hook: { type: http, url: "${file:url.txt}" }\nroutes:\n  - { name: all, to: [hook] }\n',
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/targets\.hook\.url: .*a Worker has no files/);
  });
});

describe("a Worker signing in to Pub/Sub over REST", () => {
  let fake: FakePubsub;
  afterAll(async () => {
    await fake?.close();
  });

  it("answers concurrent first requests that all need the token, none hanging on another request's fetch", async () => {
    const withKey = await fakePubsubWithServiceAccount(["orders"]);
    fake = withKey.fake;
    const { keyJson } = withKey;
    const built = await build(
      'targets:\n  ps: { type: pubsub, api: rest, projectId: p, topic: orders, apiEndpoint: "${env:PUBSUB_URL}", credentials: { keyJson: "${env:KEY_JSON}" } }\nroutes:\n  - { name: all, to: [ps] }\n',
    );
    expect(built.code, built.stderr).toBe(0);
    const mf = new Miniflare({
      modules: true,
      script: await bundleForWorkerd({ entry: join(built.out, "worker.js") }),
      compatibilityDate: "2025-09-01",
      durableObjects: { NATS: { className: "NatsConnectionObject", useSQLite: true } },
      bindings: { PUBSUB_URL: fake.restUrl, KEY_JSON: keyJson },
    });
    workers.push(mf);
    const post = (id: string) =>
      mf.dispatchFetch("http://gateway/events", {
        method: "POST",
        headers: { "ce-specversion": "1.0", "ce-id": id, "ce-source": "/edge", "ce-type": "t" },
      });
    const first = await Promise.all(Array.from({ length: 6 }, (_, i) => post(`tok-${i}`)));
    expect(first.map((r) => r.status)).toEqual(Array(6).fill(202));
    const later = await post("tok-later");
    expect(later.status).toBe(202);
    expect(fake.messages("orders")).toHaveLength(7);
  }, 60_000);
});
