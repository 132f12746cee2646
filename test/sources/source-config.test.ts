import { describe, expect, it } from "vitest";
import type { ConfigIssue } from "../../src/config/config-error.js";
import { parseConfig } from "../../src/config/parse-config.js";
import { nodeTargets } from "../../src/entries/node/targets.js";
import { configIssues } from "../support/config-issues.js";

const lines = (...l: string[]) => `${l.join("\n")}\n`;

const issuesOf = (text: string): ConfigIssue[] => configIssues(text, { env: { SECRET: "s3cret" } });

const withSource = (...source: string[]) =>
  lines(
    "targets: { out: { type: stdout } }",
    "routes: [{ name: all, to: [out] }]",
    "ingest:",
    "  sources:",
    ...source,
  );

describe("ingest.sources in the config", () => {
  it("accepts the documented json source", () => {
    const config = parseConfig(
      withSource(
        "    - path: /hooks/orders",
        "      type: json",
        "      maxBodyBytes: 262144",
        "      event:",
        `        type: "'com.example.order.created'"`,
        `        source: "'/shop'"`,
        '        id: "body.orderId"',
        '        subject: "body.customer.id"',
        '        time: "body.createdAt"',
      ),
      { catalog: nodeTargets },
    );
    expect(config.ingest?.sources?.[0]).toMatchObject({ path: "/hooks/orders", type: "json" });
  });

  it("refuses an unquoted constant, naming the attribute, its line and the fix", () => {
    const issues = issuesOf(
      withSource(
        "    - path: /hooks/orders",
        "      type: json",
        "      event:",
        "        type: com.example.order",
        "        source: \"'/shop'\"",
      ),
    );
    expect(issues).toEqual([
      expect.objectContaining({
        path: "ingest.sources[0].event.type",
        line: 8,
        message: expect.stringContaining(`"'com.example.order'"`),
      }),
    ]);
  });

  it("refuses an expression that does not compile, pointing into it", () => {
    const issues = issuesOf(
      withSource(
        "    - path: /h",
        "      type: json",
        "      event:",
        "        type: \"'t'\"",
        '        source: "body.("',
      ),
    );
    expect(issues).toEqual([expect.objectContaining({ path: "ingest.sources[0].event.source", line: 9 })]);
    expect(issues[0]?.message).toMatch(/Expected/);
  });

  it.each([
    [
      ["    - { path: /events, type: json, event: { type: \"'t'\", source: \"'/s'\" } }"],
      "ingest.sources[0].path",
      /gateway's own/,
    ],
    [
      [
        "    - { path: /a, type: json, event: { type: \"'t'\", source: \"'/s'\" } }",
        "    - { path: /a, type: json, event: { type: \"'t'\", source: \"'/s'\" } }",
      ],
      "ingest.sources[1].path",
      /already has the path/,
    ],
    [["    - { path: /a, type: carrier-pigeon }"], "ingest.sources[0].type", /must be one of/],
    [["    - { path: /a, type: json, event: { source: \"'/s'\" } }"], "ingest.sources[0].event", /type/],
    [
      ["    - { path: a, type: json, event: { type: \"'t'\", source: \"'/s'\" } }"],
      "ingest.sources[0].path",
      /pattern/,
    ],
    [
      ["    - { path: /a, type: json, event: { type: \"'t'\", source: \"'/s'\", specversion: \"'2.0'\" } }"],
      "ingest.sources[0].event.specversion",
      /always 1.0/,
    ],
    [
      ["    - { path: /a, type: json, colour: blue, event: { type: \"'t'\", source: \"'/s'\" } }"],
      "ingest.sources[0].colour",
      /colour/,
    ],
  ])("refuses %j at %s", (source, path, message) => {
    const issues = issuesOf(withSource(...source));
    expect(issues).toContainEqual(expect.objectContaining({ path, message: expect.stringMatching(message) }));
  });
});
