/**
 * Logs and health of `ce-gateway serve` as an operator meets them: every
 * answer carries `x-request-id` (the one sent, when usable), the request's
 * log lines carry the same id, the log level changes at run time through the
 * admin listener (audited), and /readyz turns 503 while the JetStream outbox's
 * server is unreachable and back once it returns, while a target being down
 * leaves it ready.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, type RunningCli, startCli } from "../support/cli-process.js";
import { type NatsServer, startNatsServer } from "../support/nats-server.js";

const ADMIN_TOKEN = "logs-and-health-admin-token-0123456789";

let nats: NatsServer;
let gateway: RunningCli;
let adminUrl: string;

const event = (id: string, type = "com.example.order") =>
  JSON.stringify({ specversion: "1.0", id, source: "/logs", type });

/** The JSON lines the gateway logged so far. */
const lines = () =>
  gateway
    .stderr()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

const admin = (path: string, init: RequestInit = {}) =>
  fetch(`${adminUrl}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json", ...init.headers },
  });

beforeAll(async () => {
  nats = await startNatsServer();
  const dir = mkdtempSync(join(tmpdir(), "ce-gateway-logs-health-"));
  const adminPort = await freePort();
  writeFileSync(
    join(dir, "gateway.yaml"),
    `version: 1
admin:
  port: ${adminPort}
  tokens:
    - { id: ops, sha256: ${createHash("sha256").update(ADMIN_TOKEN).digest("hex")} }
targets:
  down: { type: http, url: "http://127.0.0.1:9/unreachable", mode: structured }
  audit: { type: stdout }
routes:
  - { name: later, filters: [{ exact: { type: com.example.later } }], to: [down], ack: async }
  - { name: now, filters: [{ exact: { type: com.example.order } }], to: [audit] }
delivery:
  outbox: { type: nats, url: "${nats.url}", stream: LOGS_HEALTH_OUTBOX }
`,
  );
  gateway = await startCli(["serve", "--config", join(dir, "gateway.yaml"), "--port", "0"]);
  adminUrl = `http://127.0.0.1:${adminPort}`;
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await nats?.dispose();
});

describe("request ids", () => {
  it("echoes a usable x-request-id and logs the request's lines under it", async () => {
    await admin("/log-level", { method: "PUT", body: JSON.stringify({ level: "debug" }) });
    const answer = await fetch(`${gateway.url}/events`, {
      method: "POST",
      headers: { "content-type": "application/cloudevents+json", "x-request-id": "order-flow-42" },
      body: event("rid-1"),
    });
    expect(answer.status).toBe(202);
    expect(answer.headers.get("x-request-id")).toBe("order-flow-42");
    await expect.poll(() => lines().filter((l) => l.requestId === "order-flow-42").length).toBeGreaterThan(1);
    const stages = lines()
      .filter((l) => l.requestId === "order-flow-42")
      .map((l) => l.msg);
    expect(stages.join(" | ")).toMatch(/received/);
    expect(stages.join(" | ")).toMatch(/delivered/);
    // No OpenTelemetry SDK in this process: no span records, so no line names a trace.
    expect(lines().some((l) => "traceId" in l)).toBe(false);
    await admin("/log-level", { method: "PUT", body: JSON.stringify({ level: "info" }) });
  });

  it("puts an id on every answer: a refusal, a 404, a 405, health and the admin listener", async () => {
    const refused = await fetch(`${gateway.url}/events`, {
      method: "POST",
      headers: { "content-type": "application/cloudevents+json" },
      body: "{",
    });
    expect(refused.status).toBe(400);
    const refusedId = refused.headers.get("x-request-id");
    expect(refusedId).toMatch(/^[0-9a-f-]{36}$/);
    await expect.poll(() => lines().some((l) => l.requestId === refusedId && l.status === 400)).toBe(true);
    for (const [path, method, status] of [
      ["/nowhere", "GET", 404],
      ["/events", "GET", 405],
      ["/healthz", "GET", 200],
      ["/status", "GET", 200],
    ] as const) {
      const answer = await fetch(`${gateway.url}${path}`, { method });
      expect(answer.status, path).toBe(status);
      expect(answer.headers.get("x-request-id"), path).toMatch(/^[0-9a-f-]{36}$/);
      const echoed = await fetch(`${gateway.url}${path}`, { method, headers: { "x-request-id": "mine-1" } });
      expect(echoed.headers.get("x-request-id"), path).toBe("mine-1");
    }
    // An unusable id (too long, or with spaces) is replaced, not echoed into logs and headers.
    const odd = await fetch(`${gateway.url}/healthz`, { headers: { "x-request-id": "has spaces" } });
    expect(odd.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect((await admin("/log-level")).headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("the log level at run time", () => {
  it("is read and changed on the admin listener, audited, and takes effect at once", async () => {
    expect(await (await admin("/log-level")).json()).toMatchObject({ level: "info" });
    const post = (id: string) =>
      fetch(`${gateway.url}/events`, {
        method: "POST",
        headers: { "content-type": "application/cloudevents+json", "x-request-id": id },
        body: event(id),
      });
    await post("quiet-1");
    const changed = await admin("/log-level", { method: "PUT", body: JSON.stringify({ level: "debug" }) });
    expect(await changed.json()).toEqual({ level: "debug", previous: "info" });
    await post("loud-1");
    await expect.poll(() => lines().some((l) => l.requestId === "loud-1" && l.level === 20)).toBe(true);
    expect(lines().some((l) => l.requestId === "quiet-1" && l.level === 20)).toBe(false);
    expect(
      lines().some((l) => l.principal === "ops" && l.method === "PUT" && String(l.path) === "/log-level"),
    ).toBe(true);

    const bad = await admin("/log-level", { method: "PUT", body: JSON.stringify({ level: "loud" }) });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toMatch(/problem\+json/);
    expect(((await bad.json()) as { errors: { pointer: string }[] }).errors[0]?.pointer).toBe("/level");
    const unauthenticated = await fetch(`${adminUrl}/log-level`, {
      method: "PUT",
      body: JSON.stringify({ level: "trace" }),
    });
    expect(unauthenticated.status).toBe(401);
    await admin("/log-level", { method: "PUT", body: JSON.stringify({ level: "info" }) });
    expect(await (await admin("/log-level")).json()).toMatchObject({ level: "info" });
  });
});

describe("readiness", () => {
  it("stays ready with a target down, is unready while the outbox's server is gone, and ready again after", async () => {
    const later = await fetch(`${gateway.url}/events`, {
      method: "POST",
      headers: { "content-type": "application/cloudevents+json" },
      body: event("later-1", "com.example.later"),
    });
    expect(later.status).toBe(202);
    expect((await fetch(`${gateway.url}/readyz`)).status).toBe(200);
    await nats.stop();
    await expect
      .poll(async () => (await fetch(`${gateway.url}/readyz`)).status, { timeout: 10_000 })
      .toBe(503);
    const body = (await (await fetch(`${gateway.url}/readyz`)).json()) as { reason: string };
    expect(body.reason).toMatch(/outbox's NATS server is unreachable/);
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    await nats.restart();
    await expect
      .poll(async () => (await fetch(`${gateway.url}/readyz`)).status, { timeout: 15_000 })
      .toBe(200);
  }, 40_000);
});
