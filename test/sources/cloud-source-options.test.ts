/**
 * The cloud sources' options as `config check` reads them: each problem is
 * reported at the key at fault, with what to do about it.
 */
import { describe, expect, it } from "vitest";
import { configIssues } from "../support/config-issues.js";

describe("pubsub-push options", () => {
  const config = (...source: string[]) =>
    [
      "targets: { out: { type: stdout } }",
      "routes: [{ name: all, to: [out] }]",
      "ingest:",
      "  sources:",
      "    - path: /push/orders",
      "      type: pubsub-push",
      ...source.map((line) => `      ${line}`),
      "",
    ].join("\n");

  it.each([
    [["topic: projects/p/topics/t"], "ingest.sources[0].oidc", /allowUnauthenticated/],
    [["topic: my-topic", "allowUnauthenticated: true"], "ingest.sources[0].topic", /pattern/],
    [["topic: projects/p/topics/t", "oidc: { audience: a }"], "ingest.sources[0].oidc", /serviceAccount/],
    [
      [
        "topic: projects/p/topics/t",
        "oidc: { audience: a, serviceAccount: s@p.iam.gserviceaccount.com, jwksUrl: 'http://keys.example.com/certs' }",
      ],
      "ingest.sources[0].oidc.jwksUrl",
      /https/,
    ],
    [
      [
        "topic: projects/p/topics/t",
        "allowUnauthenticated: true",
        "oidc: { audience: a, serviceAccount: s@p.iam.gserviceaccount.com }",
      ],
      "ingest.sources[0].allowUnauthenticated",
      /choose one/,
    ],
  ])("refuses %j at %s", (lines, path, message) => {
    expect(configIssues(config(...lines))).toContainEqual(
      expect.objectContaining({ path, message: expect.stringMatching(message) }),
    );
  });
});

describe("eventgrid options", () => {
  const config = (...source: string[]) =>
    [
      "targets: { out: { type: stdout } }",
      "routes: [{ name: all, to: [out] }]",
      "ingest:",
      "  sources:",
      "    - path: /hooks/eventgrid",
      "      type: eventgrid",
      ...source.map((line) => `      ${line}`),
      "",
    ].join("\n");

  it.each([
    [[], "ingest.sources[0].querySecret", /allowUnauthenticated/],
    [["querySecret: { values: [] }"], "ingest.sources[0].querySecret.values", /fewer than 1/],
    [["entraId: { audience: a }"], "ingest.sources[0].entraId", /tenantId/],
    [
      ["querySecret: { values: [s] }", "allowUnauthenticated: true"],
      "ingest.sources[0].allowUnauthenticated",
      /cannot be true/,
    ],
  ])("refuses %j at %s", (lines, path, message) => {
    expect(configIssues(config(...lines))).toContainEqual(
      expect.objectContaining({ path, message: expect.stringMatching(message) }),
    );
  });
});

describe("eventbridge options", () => {
  const config = (...source: string[]) =>
    [
      "targets: { out: { type: stdout } }",
      "routes: [{ name: all, to: [out] }]",
      "ingest:",
      "  sources:",
      "    - path: /hooks/aws",
      "      type: eventbridge",
      ...source.map((line) => `      ${line}`),
      "",
    ].join("\n");

  it.each([
    [[], "ingest.sources[0].basic", /apiKey or oauth is required/],
    [["basic: { username: u }"], "ingest.sources[0].basic", /password/],
    [
      ["basic: { username: u, password: p }", "apiKey: { header: X-Key, values: [k] }"],
      "ingest.sources[0].apiKey",
      /one kind/,
    ],
    [["apiKey: { header: 'X Key', values: [k] }"], "ingest.sources[0].apiKey.header", /pattern/],
    [
      ["oauth: { issuer: i, audience: a, jwksUrl: 'http://idp.example.com/keys' }"],
      "ingest.sources[0].oauth.jwksUrl",
      /https/,
    ],
  ])("refuses %j at %s", (lines, path, message) => {
    expect(configIssues(config(...lines))).toContainEqual(
      expect.objectContaining({ path, message: expect.stringMatching(message) }),
    );
  });
});
