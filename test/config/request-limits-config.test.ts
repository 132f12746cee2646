/** The request limits' config keys: taken within their bounds, refused outside them. */
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/parse-config.js";
import { nodeTargets } from "../../src/entries/node/targets.js";
import { configIssues } from "../support/config-issues.js";

const parse = (server: string) => () =>
  parseConfig(`version: 1\nserver: ${server}\n`, { catalog: nodeTargets });

describe("request limit settings", () => {
  it("takes every limit within its bounds", () => {
    const config = parse(
      "{ maxJsonDepth: 512, maxJsonStringBytes: 4096, maxHeaderBytes: 8192, maxHeaderCount: 50, bodyTimeoutMs: 5000, maxConnections: 10, maxInFlight: 5 }",
    )();
    expect(config.server).toMatchObject({ maxJsonDepth: 512, maxInFlight: 5, bodyTimeoutMs: 5000 });
  });

  it.each([
    ["maxJsonDepth", 513],
    ["maxJsonDepth", 0],
    ["maxJsonStringBytes", 0],
    ["maxHeaderBytes", 100],
    ["maxHeaderCount", 0],
    ["bodyTimeoutMs", 10],
    ["maxConnections", 0],
    ["maxInFlight", 1.5],
  ])("refuses server.%s: %s, naming it", (key, value) => {
    const issues = configIssues(`version: 1
server: { ${key}: ${value} }
`);
    expect(issues.map((issue) => issue.path)).toContain(`server.${key}`);
  });
});
