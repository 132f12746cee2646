/**
 * The Worker as wrangler builds it from the committed wrangler.toml (custom
 * build step, then wrangler's own bundler; no test-only stubs), run in
 * workerd: it answers events, it holds no Node built-in, and it generates no
 * code at request time.
 */
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot } from "../support/cli-process.js";
import { type FakePubsub, startFakePubsub } from "../support/fake-pubsub/index.js";
import { type HttpReceiver, startHttpReceiver } from "../support/http-receiver.js";
import { type NatsServer, startNatsServer } from "../support/nats-server.js";
import {
  compatibilityDate,
  runBuiltWorker,
  startWranglerDev,
  type WranglerBuild,
  type WranglerDev,
  wranglerBuild,
} from "../support/wrangler-build.js";

const CONFIG = `version: 1
targets:
  hook: { type: http, url: "\${env:HOOK_URL}", mode: structured }
routes:
  - { name: all, to: [hook] }
schemas:
  dir: ./schemas
  mode: enforce
`;

const structured = (id: string, type: string, data: unknown) => ({
  method: "POST",
  headers: { "content-type": "application/cloudevents+json" },
  body: JSON.stringify({ specversion: "1.0", id, source: "/shop", type, data }),
});

/** Every module the bundle imports, statically or dynamically, and every `require` it makes. */
function importedModules(text: string): string[] {
  const patterns = [
    /^\s*(?:import|export)\s[^;]*?\sfrom\s*["']([^"']+)["']/gm,
    /^\s*import\s*["']([^"']+)["']/gm,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\(\s*["']([^"']+)["']\s*\)/g,
  ];
  return [...new Set(patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((m) => m[1] ?? "")))];
}

let receiver: HttpReceiver;
let embedded: WranglerBuild;
let configured: WranglerBuild;
let configFile: string;
let dev: WranglerDev | undefined;
const workers: Miniflare[] = [];

async function worker(build: WranglerBuild, bindings: Record<string, string> = {}): Promise<Miniflare> {
  const mf = await runBuiltWorker(build.outdir, { bindings });
  workers.push(mf);
  return mf;
}

beforeAll(async () => {
  receiver = await startHttpReceiver();
  embedded = await wranglerBuild();
  const dir = mkdtempSync(join(tmpdir(), "ce-gateway-wrangler-config-"));
  writeFileSync(join(dir, "gateway.yaml"), CONFIG);
  cpSync(join(projectRoot, "schemas"), join(dir, "schemas"), { recursive: true });
  configFile = join(dir, "gateway.yaml");
  configured = await wranglerBuild({ gatewayConfig: configFile });
}, 180_000);

afterAll(async () => {
  await Promise.all(workers.map((mf) => mf.dispose()));
  await dev?.stop();
  await receiver?.close();
});

describe("npx wrangler deploy --dry-run with the committed wrangler.toml", () => {
  it("runs the custom build and writes one bundled module", () => {
    expect(embedded.log).toContain("config embedded default");
    expect(embedded.files).toContain("worker.js");
    expect(embedded.rawBytes).toBeGreaterThan(0);
    // 250 KiB until traces: @opentelemetry/api adds about 10 KiB (its CommonJS build, which the
    // workerd conditions resolve to, does not tree-shake).
    expect(embedded.gzipBytes).toBeLessThan(270 * 1024);
  });

  it("builds the config that CE_GATEWAY_CONFIG names", () => {
    expect(configured.log).toContain("gateway.yaml");
    expect(configured.text).toContain("${env:HOOK_URL}");
  });

  it("imports nothing but workerd's own modules: no Node built-in, no unresolved package", () => {
    for (const build of [embedded, configured]) {
      const modules = importedModules(build.text);
      expect(modules.filter((name) => !name.startsWith("cloudflare:"))).toEqual([]);
      expect(build.text).not.toMatch(/["']node:[a-z_/]+["']/);
    }
  });

  it("holds no code generation: no eval, no Function constructor", () => {
    for (const build of [embedded, configured]) {
      expect(build.text).not.toMatch(/\beval\s*\(/);
      expect(build.text).not.toMatch(/\bnew\s+Function\s*\(/);
      expect(build.text).not.toMatch(/(?<![\w.$])Function\s*\(\s*["'`]/);
    }
  });
});

describe("the bundle wrangler built, in workerd", () => {
  it("answers a structured event with 202 (embedded default)", async () => {
    const mf = await worker(embedded);
    const response = await mf.dispatchFetch(
      "http://gateway/events",
      structured("wb-1", "com.example.ping", { n: 1 }),
    );
    expect(response.status, await response.clone().text()).toBe(202);
    expect(await response.json()).toEqual({ accepted: 1, events: [{ id: "wb-1", source: "/shop" }] });
  });

  it("delivers to the HTTP target the config names, with its URL from the Worker's vars", async () => {
    const mf = await worker(configured, { HOOK_URL: `${receiver.url}/hook` });
    const response = await mf.dispatchFetch(
      "http://gateway/events",
      structured("wb-2", "com.example.order.created", { orderId: 2, total: 9.5 }),
    );
    expect(response.status, await response.clone().text()).toBe(202);
    const received = receiver.requests.find((r) => r.path === "/hook" && r.body.length > 0);
    expect(JSON.parse(new TextDecoder().decode(received?.body))).toMatchObject({ id: "wb-2" });
  });

  it("validates data against the compiled schemas at request time: 422 naming the field", async () => {
    const mf = await worker(configured, { HOOK_URL: `${receiver.url}/hook` });
    const response = await mf.dispatchFetch(
      "http://gateway/events",
      structured("wb-3", "com.example.order.created", { orderId: 3, total: "9.50" }),
    );
    expect(response.status).toBe(422);
    const problem = (await response.json()) as { errors: { pointer: string }[] };
    expect(problem.errors).toContainEqual(expect.objectContaining({ pointer: "/data/total" }));
  });

  it("would have failed had it generated code: workerd refuses the Function constructor at request time", async () => {
    const control = new Miniflare({
      modules: true,
      compatibilityDate: compatibilityDate(),
      script: `export default { fetch() {
        try { return new Response(String(new Function("return 1")())); }
        catch (error) { return new Response(String(error), { status: 500 }); }
      } };`,
    });
    workers.push(control);
    const response = await control.dispatchFetch("http://control/");
    expect(response.status).toBe(500);
    expect(await response.text()).toMatch(/Code generation from strings disallowed/);
  });
});

describe("npx wrangler dev with the committed wrangler.toml", () => {
  let nats: NatsServer | undefined;
  let pubsub: FakePubsub | undefined;
  afterAll(async () => {
    await Promise.all([nats?.dispose(), pubsub?.close()]);
  });

  it("builds the config CE_GATEWAY_CONFIG names and delivers to JetStream, Pub/Sub and an HTTP endpoint with 202", async () => {
    [nats, pubsub] = await Promise.all([startNatsServer(), startFakePubsub({ topics: ["orders"] })]);
    const nc = await connect({ servers: nats.url });
    await (await jetstreamManager(nc)).streams.add({ name: "DEV", subjects: ["dev.>"] });
    await nc.close();
    const dir = mkdtempSync(join(tmpdir(), "ce-gateway-wrangler-dev-"));
    writeFileSync(
      join(dir, "gateway.yaml"),
      `targets:
  hook: { type: http, url: "\${env:HOOK_URL}" }
  bus: { type: nats, url: "\${env:NATS_URL}", subject: "dev.{type}", jetstream: { stream: DEV } }
  topic: { type: pubsub, api: rest, projectId: p, topic: orders, apiEndpoint: "\${env:PUBSUB_URL}" }
routes:
  - { name: all, to: [hook, bus, topic] }
`,
    );
    dev = await startWranglerDev({
      gatewayConfig: join(dir, "gateway.yaml"),
      vars: { HOOK_URL: `${receiver.url}/dev-hook`, NATS_URL: nats.url, PUBSUB_URL: pubsub.restUrl },
    });
    expect(dev.log()).toContain(`config ${join(dir, "gateway.yaml")}`);
    const response = await fetch(
      `${dev.url}/events`,
      structured("wd-1", "com.example.order.created", { orderId: 4, total: 1 }),
    );
    expect(response.status, await response.clone().text()).toBe(202);
    // The HTTP endpoint (binary mode by default: the id in ce-id).
    expect(receiver.requests.find((r) => r.path === "/dev-hook")?.headers["ce-id"]).toBe("wd-1");
    // Pub/Sub, over REST.
    expect(pubsub.messages("orders").map((m) => m.attributes["ce-id"])).toEqual(["wd-1"]);
    // JetStream, through the Durable Object.
    const check = await connect({ servers: nats.url });
    const stored = await (await jetstreamManager(check)).streams.getMessage("DEV", { seq: 1 });
    await check.close();
    expect(stored?.subject).toBe("dev.com.example.order.created");
    expect(stored?.header.get("ce-id")).toBe("wd-1");
  }, 120_000);
});
