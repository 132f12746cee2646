/**
 * Bundles the Worker that `ce-gateway build --target workers` writes for the
 * embedded default config, with no Node built-ins available (esbuild
 * platform "neutral") and nothing stubbed, and runs it inside workerd through
 * Miniflare, without nodejs_compat: proof that the core is runtime-neutral.
 */
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { workerModule } from "../../src/cli/commands/build.js";
import { EMBEDDED_DEFAULT_CONFIG } from "../../src/config/gateway-config.js";
import { bundleForWorkerd } from "../support/workerd-bundle.js";

let mf: Miniflare;

beforeAll(async () => {
  const source = workerModule("./src/entries/workers/worker.ts", EMBEDDED_DEFAULT_CONFIG, []);
  const script = await bundleForWorkerd({ source });
  mf = new Miniflare({ modules: true, script, compatibilityDate: "2025-09-01" });
}, 60_000);

afterAll(async () => {
  await mf?.dispose();
});

describe("the gateway inside workerd", () => {
  it("answers a binary-mode POST with 202", async () => {
    const response = await mf.dispatchFetch("http://gateway.test/events", {
      method: "POST",
      headers: {
        "ce-specversion": "1.0",
        "ce-id": "edge-1",
        "ce-source": "/edge",
        "ce-type": "com.example.edge",
        "ce-greeting": "Euro%20%E2%82%AC%20%F0%9F%98%80",
        "content-type": "application/json",
      },
      body: '{"n":1.0}',
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: 1, events: [{ id: "edge-1", source: "/edge" }] });
  });

  it("answers an invalid structured event with a problem", async () => {
    const response = await mf.dispatchFetch("http://gateway.test/events", {
      method: "POST",
      headers: { "content-type": "application/cloudevents+json" },
      body: '{"specversion":"0.3","id":"x","source":"/s","type":"t"}',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
  });
});
