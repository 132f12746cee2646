/**
 * The publish sources' options and templated paths in the config: what is
 * accepted, and what `config check` refuses, naming the field.
 */
import { describe, expect, it } from "vitest";
import type { ConfigIssue } from "../../src/config/config-error.js";
import { parseConfig } from "../../src/config/parse-config.js";
import { nodeTargets } from "../../src/entries/node/targets.js";
import { SecretRedactor } from "../../src/observe/redact.js";
import { compileSourcePath } from "../../src/sources/source-path.js";
import { configIssues } from "../support/config-issues.js";

const withSource = (...source: string[]) =>
  `${[
    "targets: { out: { type: stdout } }",
    "routes: [{ name: all, to: [out] }]",
    "ingest:",
    "  sources:",
    ...source,
  ].join("\n")}\n`;

const issuesOf = (text: string): ConfigIssue[] => configIssues(text, { env: {} });

describe("templated source paths", () => {
  it("a {name} part matches up to the next / or :, and gives its value", () => {
    const path = compileSourcePath("/v1/projects/{project}/topics/{topic}:publish");
    expect(path.match("/v1/projects/shop/topics/orders.eu:publish")).toEqual({
      project: "shop",
      topic: "orders.eu",
    });
    expect(path.match("/v1/projects/shop/topics/orders:pull")).toBeUndefined();
    expect(path.match("/v1/projects/a/b/topics/orders:publish")).toBeUndefined();
    expect(path.match("/v1/projects//topics/orders:publish")).toBeUndefined();
    expect(compileSourcePath("/hooks/a.b").match("/hooks/aXb")).toBeUndefined();
  });

  it("refuses a name used twice, at the source's path", () => {
    const issues = issuesOf(
      withSource(
        "    - path: /a/{x}/b/{x}",
        "      type: pubsub-publish",
        '      apiKeys: ["0123456789abcdef"]',
      ),
    );
    expect(issues).toEqual([
      expect.objectContaining({ path: "ingest.sources[0].path", message: expect.stringContaining("{x}") }),
    ]);
  });
});

describe("publish sources' options", () => {
  it("accepts the documented configs", () => {
    const config = parseConfig(
      withSource(
        "    - path: /api/events",
        "      type: eventgrid-publish",
        '      accessKeys: ["c2VjcmV0LWtleS1ieXRlcw=="]',
        "      sasResources: [https://gateway.example.com/api/events]",
        "      topic: /subscriptions/0/topics/orders",
        '    - path: "/v1/projects/{project}/topics/{topic}:publish"',
        "      type: pubsub-publish",
        '      apiKeys: ["0123456789abcdef"]',
      ),
      { catalog: nodeTargets },
    );
    expect(config.ingest?.sources?.map((s) => s.type)).toEqual(["eventgrid-publish", "pubsub-publish"]);
  });

  it("pubsub-publish: a path that is not a topic's publish is refused at path", () => {
    const issues = issuesOf(
      withSource(
        "    - path: /v1/topics/{topic}",
        "      type: pubsub-publish",
        '      apiKeys: ["0123456789abcdef"]',
      ),
    );
    expect(issues).toEqual([
      expect.objectContaining({
        path: "ingest.sources[0].path",
        message: expect.stringContaining(":publish"),
      }),
    ]);
  });

  it("eventgrid-publish: a key that is not base64 is refused at its position", () => {
    const issues = issuesOf(
      withSource(
        "    - path: /api/events",
        "      type: eventgrid-publish",
        '      accessKeys: ["not base64!"]',
      ),
    );
    expect(issues).toEqual([
      expect.objectContaining({ path: expect.stringContaining("ingest.sources[0].accessKeys[0]") }),
    ]);
  });

  it("eventgrid-publish: neither keys nor entra is refused", () => {
    expect(issuesOf(withSource("    - path: /api/events", "      type: eventgrid-publish"))).not.toEqual([]);
  });

  it("eventgrid-publish: an entra JWKS over plain http elsewhere is refused at entra.jwksUrl", () => {
    const issues = issuesOf(
      withSource(
        "    - path: /api/events",
        "      type: eventgrid-publish",
        "      entra: { issuer: i, audience: a, jwksUrl: http://login.example.com/keys }",
      ),
    );
    expect(issues).toEqual([expect.objectContaining({ path: "ingest.sources[0].entra.jwksUrl" })]);
  });
});

describe("publish sources' keys are secrets", () => {
  it("the gateway redacts accessKeys and apiKeys wherever they would be written", () => {
    const redactor = new SecretRedactor().learn({
      ingest: {
        sources: [
          { path: "/api/events", type: "eventgrid-publish", accessKeys: ["c2VjcmV0LWtleS1ieXRlcw=="] },
          {
            path: "/v1/projects/p/topics/t:publish",
            type: "pubsub-publish",
            apiKeys: ["pubsub-key-0123456789"],
          },
        ],
      },
    });
    const text = redactor.text("got c2VjcmV0LWtleS1ieXRlcw== and pubsub-key-0123456789");
    expect(text).not.toContain("c2VjcmV0LWtleS1ieXRlcw==");
    expect(text).not.toContain("pubsub-key-0123456789");
  });
});
