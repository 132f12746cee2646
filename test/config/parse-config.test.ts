import { describe, expect, it } from "vitest";
import type { ConfigIssue } from "../../src/config/config-error.js";
import { type ParseConfigOptions, parseConfig } from "../../src/config/parse-config.js";
import { nodeTargets } from "../../src/entries/node/targets.js";
import { configIssues } from "../support/config-issues.js";

/** Parses with the Node entry's target types, as the CLI does. */
const parse = (text: string, options: Omit<ParseConfigOptions, "catalog"> = {}) =>
  parseConfig(text, { catalog: nodeTargets, ...options });

const issuesOf = (text: string, options: Parameters<typeof parse>[1] = {}): ConfigIssue[] =>
  configIssues(text, options);

const lines = (...l: string[]) => `${l.join("\n")}\n`;

describe("parseConfig", () => {
  it("accepts the documented example", () => {
    const config = parse(
      lines(
        "version: 1",
        "server: { port: 8080, host: 127.0.0.1, maxBodyBytes: 1048576 }",
        'admin: { port: 9090, token: "${env:ADMIN_TOKEN}" }',
        "targets:",
        '  bus: { type: memory, address: "events.{type}" }',
        "  audit: { type: stdout }",
        "routes:",
        "  - name: orders",
        "    filters:",
        '      - prefix: { type: "com.example.order." }',
        "      - sql: \"source LIKE '/shop/eu/%' AND NOT EXISTS test\"",
        "    to: [bus, audit]",
        "unmatched: reject",
      ),
      { env: { ADMIN_TOKEN: "a-long-enough-admin-token" } },
    );
    expect(config.admin?.token).toBe("a-long-enough-admin-token");
    expect(config.routes?.[0]?.filters).toHaveLength(2);
  });

  it("names the line, column and path of an unknown target", () => {
    const issues = issuesOf(
      lines("targets:", "  audit: { type: stdout }", "routes:", "  - name: a", "    to: [audit, ordrs]"),
    );
    expect(issues).toEqual([
      expect.objectContaining({
        path: "routes[0].to[1]",
        message: 'unknown target "ordrs"',
        line: 5,
        column: 17,
      }),
    ]);
  });

  it("reports every problem at once, each with its position", () => {
    const issues = issuesOf(
      lines(
        "server: { prot: 8080 }",
        "targets:",
        "  a: { type: stdout, colour: red }",
        "  b: { type: kafka }",
        "routes:",
        "  - name: r",
        "    filters: [{ exactly: { type: x } }]",
        "    to: [a]",
        "  - name: r",
        "    to: [a]",
        "delivery: { timeoutMs: 5s }",
      ),
    );
    const byPath = Object.fromEntries(issues.map((i) => [i.path, i]));
    expect(byPath["server.prot"]).toMatchObject({ message: 'unknown key "prot"', line: 1, column: 11 });
    expect(byPath["targets.a.colour"]).toMatchObject({ message: 'unknown key "colour"', line: 3 });
    expect(byPath["targets.b.type"]?.message).toMatch(/unknown target type.*stdout/);
    expect(byPath["routes[0].filters[0].exactly"]?.message).toMatch(/unknown filter dialect "exactly"/);
    expect(byPath["delivery.timeoutMs"]).toMatchObject({ line: 11 });
  });

  it("reports semantic problems once the shape is right: duplicate names, CESQL syntax, templates", () => {
    const issues = issuesOf(
      lines(
        "targets:",
        '  m: { type: memory, address: "events.{type" }',
        "routes:",
        "  - { name: r, to: [m] }",
        "  - name: r",
        "    filters: [{ sql: \"type = 'a' AND\" }]",
        "    to: [m]",
      ),
    );
    expect(issues.map((i) => [i.path, i.line])).toEqual([
      ["routes[1].name", 5],
      ["routes[1].filters[0].sql", 6],
      ["targets.m.address", 2],
    ]);
    expect(issues[2]?.message).toMatch(/unclosed "\{"/);
  });

  it("refuses duplicate keys, naming the line", () => {
    const issues = issuesOf(lines("targets:", "  a: { type: stdout }", "  a: { type: memory }"));
    expect(issues[0]).toMatchObject({ line: 3 });
    expect(issues[0]?.message).toMatch(/unique/i);
  });

  it("refuses a body limit below the 64 KiB every intermediary must carry", () => {
    expect(issuesOf("server: { maxBodyBytes: 1000 }\n")[0]?.path).toBe("server.maxBodyBytes");
  });

  it("interpolates environment variables, defaults and secret files", () => {
    const config = parse(
      lines(
        "server:",
        "  port: ${env:PORT}",
        '  host: "${env:HOST:-0.0.0.0}"',
        'admin: { port: 9091, token: "${file:token.txt}" }',
        'targets: { m: { type: memory, address: "literal.$${type}.{type}" } }',
      ),
      {
        env: { PORT: "9000" },
        readFile: (path) => (path === "token.txt" ? "s3cret-admin-token-value\n" : ""),
      },
    );
    expect(config.server).toEqual({ port: 9000, host: "0.0.0.0" });
    expect(config.admin?.token).toBe("s3cret-admin-token-value");
    expect(config.targets?.m?.address).toBe("literal.${type}.{type}");
  });

  it("names a missing environment variable and where it is used", () => {
    const issues = issuesOf(lines("admin:", "  port: 9090", "  token: ${env:ADMIN_TOKEN}"), { env: {} });
    expect(issues[0]).toMatchObject({
      path: "admin.token",
      line: 3,
      message: "environment variable ADMIN_TOKEN is not set",
    });
  });

  it("refuses an unknown reference kind", () => {
    expect(issuesOf('server: { host: "${vault:x}" }\n')[0]?.message).toMatch(/unknown reference/);
  });
});

describe("parseConfig on awkward input", () => {
  it("points a CESQL error inside all/not at the expression itself", () => {
    const issues = issuesOf(
      lines(
        "targets: { a: { type: stdout } }",
        "routes:",
        "  - name: r",
        "    to: [a]",
        "    filters:",
        "      - all:",
        "        - not:",
        "            sql: \"type = 'x' AND AND\"",
      ),
    );
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe("routes[0].filters[0].all[0].not.sql");
    expect(issues[0]?.line).toBe(8);
    // The string starts at column 18; the parse error is 15 characters into the expression.
    expect(issues[0]?.column).toBeGreaterThan(18);
  });

  it("says an empty attribute map needs an attribute", () => {
    const issues = issuesOf(
      lines("targets: { a: { type: stdout } }", "routes: [{ name: r, to: [a], filters: [{ suffix: {} }] }]"),
    );
    expect(issues[0]).toMatchObject({
      path: "routes[0].filters[0].suffix",
      message: "needs at least one attribute",
    });
  });

  it("refuses an alias bomb with a config error, not a crash", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (const n of ["b", "c", "d", "e", "f", "g"])
      bomb.push(
        `${n}: &${n} [${Array(10)
          .fill(`*${String.fromCharCode(n.charCodeAt(0) - 1)}`)
          .join(", ")}]`,
      );
    expect(issuesOf(lines(...bomb))[0]?.message).toMatch(/cannot read the YAML/);
  });

  it("keeps an interpolated value that looks like YAML syntax as a string", () => {
    const issues = issuesOf("server:\n  host: ${env:H}\n  port: ${env:P}\n", {
      env: { H: "[oops", P: "@x" },
    });
    expect(issues.map((i) => i.path)).toEqual(["server.port"]);
  });

  it("refuses an unterminated reference and names an empty variable as empty", () => {
    expect(issuesOf('server: { host: "${env:H" }\n')[0]?.message).toMatch(/unterminated/);
    expect(issuesOf("server:\n  host: ${env:H}\n", { env: { H: "" } })[0]?.message).toBe(
      "environment variable H is empty",
    );
  });

  it("refuses an admin listener on the ingest port", () => {
    const issues = issuesOf(
      lines("server: { port: 8080 }", 'admin: { port: 8080, token: "0123456789abcdef" }'),
    );
    expect(issues[0]).toMatchObject({ path: "admin.port", line: 2 });
  });

  it("checks a fixed address at load time", () => {
    const issues = issuesOf(lines('targets: { a: { type: memory, address: "no spaces please" } }'));
    expect(issues[0]).toMatchObject({ path: "targets.a.address" });
  });
});

describe("parseConfig on headerEncoding", () => {
  it("accepts percent and raw on the http and nats targets", () => {
    const config = parse(
      lines(
        "targets:",
        "  knative: { type: http, url: https://broker.example/default, headerEncoding: raw }",
        "  bus: { type: nats, url: nats://127.0.0.1:4222, subject: events, headerEncoding: percent }",
      ),
    );
    expect(config.targets?.knative).toMatchObject({ headerEncoding: "raw" });
    expect(config.targets?.bus).toMatchObject({ headerEncoding: "percent" });
  });

  it("refuses any other value, naming the line and the allowed ones", () => {
    const issues = issuesOf(
      lines("targets:", "  knative: { type: http, url: https://broker.example/, headerEncoding: utf8 }"),
    );
    expect(issues).toEqual([
      expect.objectContaining({
        path: "targets.knative.headerEncoding",
        line: 2,
        message: 'must be one of "percent", "raw"',
      }),
    ]);
  });
});
