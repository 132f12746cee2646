/** `server.metrics`: the scrape on the main listener, taken with a path and a token, refused without a usable token or on the gateway's own paths. */
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/parse-config.js";
import { nodeTargets } from "../../src/entries/node/targets.js";
import { configIssues } from "../support/config-issues.js";

describe("server.metrics", () => {
  it("takes a path and a token from the environment", () => {
    const config = parseConfig(
      'version: 1\nserver:\n  metrics: { path: /internal/metrics, token: "${env:METRICS_TOKEN}" }\n',
      { catalog: nodeTargets, env: { METRICS_TOKEN: "a-token-of-sixteen-chars" } },
    );
    expect(config.server?.metrics).toEqual({ path: "/internal/metrics", token: "a-token-of-sixteen-chars" });
  });

  it.each([
    ["{ path: /metrics }", "server.metrics"],
    ["{ token: short }", "server.metrics.token"],
    ["{ path: metrics, token: a-token-of-sixteen-chars }", "server.metrics.path"],
    ["{ path: /events, token: a-token-of-sixteen-chars }", "server.metrics.path"],
    ["{ path: /healthz, token: a-token-of-sixteen-chars }", "server.metrics.path"],
    ["{ token: a-token-of-sixteen-chars, user: x }", "server.metrics.user"],
  ])("refuses server.metrics: %s, naming %s", (metrics, path) => {
    const issues = configIssues(`version: 1\nserver:\n  metrics: ${metrics}\n`);
    expect(issues.map((issue) => issue.path)).toContain(path);
  });
});
