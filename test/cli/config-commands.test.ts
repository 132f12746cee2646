/**
 * `config check`, `config schema`, `routes explain` and the admin listener,
 * through the real command.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterEach, describe, expect, it } from "vitest";
import { projectRoot, type RunningCli, startCli } from "../support/cli-process.js";

const bin = join(projectRoot, "bin/ce-gateway.js");
const cli = (args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], {
    encoding: "utf8",
    env: { ...process.env, ADMIN_TOKEN: "test-admin-token-0123456789" },
  });

function files(entries: Record<string, string>): (name: string) => string {
  const dir = mkdtempSync(join(tmpdir(), "ce-gateway-cfg-"));
  for (const [name, text] of Object.entries(entries)) writeFileSync(join(dir, name), text);
  return (name) => join(dir, name);
}

const ADMIN_TOKEN = "test-admin-token-0123456789";
const ADMIN_SHA256 = createHash("sha256").update(ADMIN_TOKEN).digest("hex");
const CONFIG = `version: 1
admin: { port: 0, tokens: [{ id: ops, sha256: "${ADMIN_SHA256}" }] }
targets:
  bus: { type: memory, address: "orders.{type}" }
  audit: { type: stdout }
routes:
  - name: eu-orders
    filters:
      - prefix: { type: "com.example.order." }
      - sql: "source LIKE '/shop/eu/%'"
    to: [bus, audit]
  - name: audit-all
    to: [audit]
`;
const EVENT = JSON.stringify({
  specversion: "1.0",
  id: "1",
  source: "/shop/us/1",
  type: "com.example.order.created",
});

describe("ce-gateway config", () => {
  it("check passes a valid file and exits 0", () => {
    const path = files({ "gateway.yaml": CONFIG });
    const result = cli(["config", "check", path("gateway.yaml")]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("check warns that a plain-text admin.token is deprecated, and still passes", () => {
    const legacy = CONFIG.replace(/admin: .*\n/, 'admin: { port: 0, token: "${env:ADMIN_TOKEN}" }\n');
    const path = files({ "gateway.yaml": legacy });
    const result = cli(["config", "check", path("gateway.yaml")]);
    expect(result.stderr).toMatch(/gateway\.yaml: warning: admin\.token: deprecated/);
    expect(result.stderr).not.toContain(ADMIN_TOKEN);
    expect(result.stdout).toMatch(/gateway\.yaml: ok/);
    expect(result.status).toBe(0);
  });

  it("check lists every error as FILE:LINE:COLUMN: PATH: MESSAGE and exits 1", () => {
    const path = files({
      "bad.yaml":
        'targets:\n  audit: { type: stdout }\nroutes:\n  - name: r\n    to: [ordrs]\n  - { name: s, to: [audit], filters: [{ sql: "a =" }] }\n',
    });
    const result = cli(["config", "check", path("bad.yaml")]);
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines[0]).toBe(`${path("bad.yaml")}:5:10: routes[0].to[0]: unknown target "ordrs"`);
    expect(lines[1]).toMatch(
      new RegExp(`^${path("bad.yaml")}:6:\\d+: routes\\[1\\]\\.filters\\[0\\]\\.sql: `),
    );
  });

  it("check refuses a transform expression that does not compile, naming the route, the attribute and the position", () => {
    const path = files({
      "transform.yaml": [
        "targets:",
        "  analytics: { type: memory }",
        "routes:",
        "  - name: orders-to-analytics",
        "    to: [analytics]",
        "    transform:",
        "      attributes:",
        "        type: com.example.analytics.order",
        '        subject: "data.customer.(id"',
        "        specversion: \"'2.0'\"",
        '        region: "data.region"',
        `      data: "{ 'order': orderId }"`,
        "",
      ].join("\n"),
    });
    const result = cli(["config", "check", path("transform.yaml")]);
    expect(result.status).toBe(1);
    const file = path("transform.yaml");
    expect(result.stderr.trim().split("\n")).toEqual([
      `${file}:8:17: routes[0].transform.attributes.type: route "orders-to-analytics", attribute "type", at position 3: "com" is not a path into the event: only data has members, and a name alone must be an attribute name (a-z, 0-9), data or data_base64 (a constant is quoted: "'com.example.analytics.order'")`,
      `${file}:9:35: routes[0].transform.attributes.subject: route "orders-to-analytics", attribute "subject", at position 17: Expected ")" before end of expression`,
      `${file}:10:22: routes[0].transform.attributes.specversion: route "orders-to-analytics": specversion cannot be set: the gateway sends CloudEvents 1.0 only`,
      `${file}:12:31: routes[0].transform.data: route "orders-to-analytics", data, at position 18: "orderId" is not a path into the event: only data has members, and a name alone must be an attribute name (a-z, 0-9), data or data_base64`,
    ]);
  });

  it("schema prints a JSON Schema that validates the documented config", () => {
    const schema = JSON.parse(
      execFileSync(process.execPath, [bin, "config", "schema"], { encoding: "utf8" }),
    );
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining([
        "server",
        "admin",
        "targets",
        "routes",
        "unmatched",
        "schemas",
        "delivery",
        "auth",
        "ingest",
        "observability",
      ]),
    );
    const validate = new Ajv2020({ strict: false }).compile(schema);
    expect(validate({ targets: { a: { type: "stdout" } }, routes: [{ name: "r", to: ["a"] }] })).toBe(true);
    expect(validate({ targets: { a: { type: "stdout", extra: 1 } } })).toBe(false);
  });
});

describe("ce-gateway routes explain", () => {
  it("prints each route with matched or failed and why, and the expanded addresses", () => {
    const path = files({ "gateway.yaml": CONFIG, "event.json": EVENT });
    const result = cli(["routes", "explain", "--config", path("gateway.yaml"), path("event.json")]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      "✗ eu-orders -> [bus, audit]: sql \"source LIKE '/shop/eu/%'\" gave false",
    );
    expect(result.stdout).toContain("✓ audit-all -> [audit]");
    expect(result.stdout).toContain("outcome: deliver");
  });

  it("gives machines JSON with --json", () => {
    const eu = JSON.stringify({
      specversion: "1.0",
      id: "2",
      source: "/shop/eu/9",
      type: "com.example.order.created",
    });
    const path = files({ "gateway.yaml": CONFIG, "event.json": eu });
    const result = cli(["routes", "explain", "--config", path("gateway.yaml"), path("event.json"), "--json"]);
    const explanation = JSON.parse(result.stdout);
    expect(explanation.routes.map((r: { matched: boolean }) => r.matched)).toEqual([true, true]);
    expect(explanation.targets).toEqual([
      { target: "bus", address: "orders.com.example.order.created" },
      { target: "audit" },
    ]);
  });
});

describe("ce-gateway routes explain with transforms", () => {
  const config = `targets:
  analytics: { type: memory, address: "analytics.{type}" }
routes:
  - name: orders-to-analytics
    to: [analytics]
    transform:
      attributes:
        type: "'com.example.analytics.order'"
        time: "data.when"
      data: "{ 'order': data.orderId }"
  - name: as-received
    to: [analytics]
`;
  const event = (data: Record<string, unknown>) => JSON.stringify({ ...JSON.parse(EVENT), data });

  it("shows, per target, the event a transform makes and a variant's renamed id", () => {
    const path = files({ "gateway.yaml": config, "event.json": event({ orderId: 7 }) });
    const result = cli(["routes", "explain", "--config", path("gateway.yaml"), path("event.json")]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      `  analytics: address analytics.com.example.analytics.order
    transformed by orders-to-analytics: {"specversion":"1.0","id":"1","source":"/shop/us/1","type":"com.example.analytics.order","datacontenttype":"application/json","data":{"order":7}}
  analytics: address analytics.com.example.order.created
    renamed for as-received (an earlier route sends this target the same source and id): {"specversion":"1.0","id":"1~as-received",`,
    );
    const json = cli(["routes", "explain", "--config", path("gateway.yaml"), path("event.json"), "--json"]);
    expect(JSON.parse(json.stdout).targets[0]).toEqual({
      target: "analytics",
      address: "analytics.com.example.analytics.order",
      transformedBy: "orders-to-analytics",
      event: {
        specversion: "1.0",
        id: "1",
        source: "/shop/us/1",
        type: "com.example.analytics.order",
        datacontenttype: "application/json",
        data: { order: 7 },
      },
    });
  });

  it("says why a transform would fail the request", () => {
    const path = files({ "gateway.yaml": config, "event.json": event({ orderId: 7, when: "never" }) });
    const result = cli(["routes", "explain", "--config", path("gateway.yaml"), path("event.json")]);
    expect(result.stdout).toContain(
      'transform failures:\n  /time: route "orders-to-analytics": time must be an RFC 3339 timestamp\noutcome: reject: transform-failed',
    );
  });
});

describe("the admin listener", () => {
  let running: RunningCli | undefined;
  afterEach(async () => {
    await running?.stop("SIGKILL");
  });

  it("requires the bearer token and explains routes over HTTP", async () => {
    const path = files({ "gateway.yaml": CONFIG });
    running = await startCli(["serve", "--config", path("gateway.yaml"), "--port", "0"], {
      ADMIN_TOKEN: "test-admin-token-0123456789",
    });
    const adminUrl = /"adminUrl":"(http:[^"]+)"/.exec(running.stderr())?.[1];
    expect(adminUrl).toBeDefined();
    const explain = (token?: string) =>
      fetch(`${adminUrl}/routes/explain`, {
        method: "POST",
        headers: {
          "content-type": "application/cloudevents+json",
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: EVENT,
      });
    const anonymous = await explain();
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("content-type")).toBe("application/problem+json");
    expect((await explain("wrong-token-wrong-token")).status).toBe(401);
    const ok = await explain("test-admin-token-0123456789");
    expect(ok.status).toBe(200);
    const body = await ok.json();
    expect(body.explanations[0].routes[0]).toMatchObject({ route: "eu-orders", matched: false });
    // The ingest listener does not serve admin endpoints.
    expect((await fetch(`${running.url}/routes/explain`, { method: "POST" })).status).toBe(404);
  });
});

describe("ce-gateway routes explain --source", () => {
  const explainSource = (path: (name: string) => string, source: string, ...more: string[]) =>
    cli([
      "routes",
      "explain",
      "--config",
      path("gateway.yaml"),
      "--source",
      source,
      "--body",
      path("order.json"),
      ...more,
    ]);

  const SOURCES = `${CONFIG}ingest:
  sources:
    - path: /hooks/orders
      type: json
      event:
        type: "'com.example.order.' & body.kind"
        source: "'/shop/eu/' & headers.\\"x-shop\\""
        id: "body.orderId"
`;

  it("shows the CloudEvent a raw request becomes and where it goes", () => {
    const path = files({ "gateway.yaml": SOURCES, "order.json": '{"orderId": 7, "kind": "created"}' });
    const result = explainSource(path, "/hooks/orders", "--header", "X-Shop: 12");
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('"type": "com.example.order.created"');
    expect(result.stdout).toContain('"source": "/shop/eu/12"');
    expect(result.stdout).toContain('"id": "7"');
    expect(result.stdout).toContain("✓ eu-orders -> [bus, audit]");
    expect(result.stdout).toContain("outcome: deliver");
  });

  it("gives machines the event and its routing with --json", () => {
    const path = files({ "gateway.yaml": SOURCES, "order.json": '{"orderId": 7, "kind": "created"}' });
    const result = explainSource(path, "/hooks/orders", "--header", "x-shop:3", "--json");
    const explained = JSON.parse(result.stdout);
    expect(explained.events[0].event).toMatchObject({ id: "7", source: "/shop/eu/3", data: { orderId: 7 } });
    expect(explained.events[0].routing.targets).toEqual([
      { target: "bus", address: "orders.com.example.order.created" },
      { target: "audit" },
    ]);
  });

  it("prints the problem a request would get, and exits 1", () => {
    const path = files({ "gateway.yaml": SOURCES, "order.json": '{"kind": "created"}' });
    const result = explainSource(path, "/hooks/orders");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("unmappable-request");
    expect(result.stderr).toContain('"pointer": "/id"');
  });

  it("names the configured paths when the source path is unknown", () => {
    const path = files({ "gateway.yaml": SOURCES, "order.json": "{}" });
    const result = explainSource(path, "/nope");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("/hooks/orders");
  });
});
