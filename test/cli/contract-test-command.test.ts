/**
 * `ce-gateway test` on the sample project, and `ce-gateway schemas check`.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../support/cli-process.js";

const cli = (args: string[]) =>
  spawnSync(process.execPath, [join(projectRoot, "bin/ce-gateway.js"), ...args], {
    encoding: "utf8",
    cwd: projectRoot,
  });

function copyOfShop(): string {
  const dir = mkdtempSync(join(tmpdir(), "ce-gateway-shop-"));
  cpSync(join(projectRoot, "examples/shop"), dir, { recursive: true });
  return dir;
}

describe("ce-gateway test", () => {
  it("passes the sample project's examples, with a JUnit report", () => {
    const junit = join(mkdtempSync(join(tmpdir(), "ce-gateway-junit-")), "report.xml");
    const result = cli(["test", "--config", "examples/shop/gateway.yaml", "--junit", junit]);
    expect(result.stdout).toContain("4 passed, 0 failed");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      "✓ com.example.order.created/examples/eu-web-order.json: valid, delivered to [orders, audit]",
    );
    expect(result.stdout).toMatch(
      /✓ com.example.order.created\/examples\/missing-total.json: 422 contract-violation/,
    );
    const report = readFileSync(junit, "utf8");
    expect(report).toContain('tests="4" failures="0"');
  });

  it("fails, exit 1, when an example does not behave as expected", () => {
    const dir = copyOfShop();
    const example = join(dir, "schemas/com.example.order.created/examples/us-order.json");
    writeFileSync(
      example,
      readFileSync(example, "utf8").replace('"targets": ["audit"]', '"targets": ["orders"]'),
    );
    const result = cli(["test", "--config", join(dir, "gateway.yaml")]);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(
      "✗ com.example.order.created/examples/us-order.json: expected targets [orders], got valid, delivered to [audit]",
    );
    expect(result.stdout).toContain("3 passed, 1 failed");
  });
});

describe("ce-gateway schemas check", () => {
  it("accepts compatible new versions and refuses breaking ones, against a folder", () => {
    const before = copyOfShop();
    const after = copyOfShop();
    const types = join(after, "schemas/com.example.order.created");
    writeFileSync(
      join(types, "3.json"),
      JSON.stringify({ type: "object", required: ["orderId"], properties: { orderId: { type: "integer" } } }),
    );
    const ok = cli([
      "schemas",
      "check",
      "--config",
      join(after, "gateway.yaml"),
      "--against",
      join(before, "schemas"),
    ]);
    expect(ok.stderr).toBe("");
    expect(ok.status).toBe(0);

    writeFileSync(
      join(types, "4.json"),
      JSON.stringify({ type: "object", required: ["orderId", "customer"] }),
    );
    const broken = cli([
      "schemas",
      "check",
      "--config",
      join(after, "gateway.yaml"),
      "--against",
      join(before, "schemas"),
    ]);
    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(/com\.example\.order\.created\/4: .*customer/);
  });

  it("refuses a changed published version", () => {
    const before = copyOfShop();
    const after = copyOfShop();
    const v1 = join(after, "schemas/com.example.money/1.json");
    writeFileSync(v1, readFileSync(v1, "utf8").replace('"minimum": 0', '"minimum": 1'));
    const result = cli([
      "schemas",
      "check",
      "--config",
      join(after, "gateway.yaml"),
      "--against",
      join(before, "schemas"),
    ]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("com.example.money/1: a published version changed");
  });
});
