/**
 * `ce-gateway init`: the project it writes passes the CLI's own checks, and
 * it never overwrites a file unless told to.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../support/cli-process.js";

const cli = (args: string[]) =>
  spawnSync(process.execPath, [join(projectRoot, "bin/ce-gateway.js"), ...args], {
    encoding: "utf8",
    cwd: projectRoot,
  });

const newDir = () => join(mkdtempSync(join(tmpdir(), "ce-gateway-init-")), "my-shop");

describe("ce-gateway init", () => {
  it("writes a project that config check, test, schemas check and the Workers build accept", () => {
    const dir = newDir();
    const init = cli(["init", dir]);
    expect(init.status, init.stderr).toBe(0);
    const config = join(dir, "gateway.yaml");
    const yaml = readFileSync(config, "utf8");
    expect(yaml.split("\n")[0]).toBe("# yaml-language-server: $schema=./gateway.schema.json");
    // The editor's schema is the one `config schema` prints.
    expect(readFileSync(join(dir, "gateway.schema.json"), "utf8")).toBe(cli(["config", "schema"]).stdout);
    expect(readFileSync(join(dir, "wrangler.toml"), "utf8")).toContain('name = "my-shop"');
    const readme = readFileSync(join(dir, "README.md"), "utf8");
    for (const command of ["ce-gateway test", "ce-gateway serve", "ce-gateway send"])
      expect(readme).toContain(command);

    const check = cli(["config", "check", config]);
    expect(check.stdout + check.stderr).toBe(`${config}: ok\n`);
    expect(check.status).toBe(0);

    const test = cli(["test", "--config", config]);
    expect(test.stdout).toContain("2 passed, 0 failed");
    expect(test.stdout).toMatch(/✓ .*missing-currency.json: 422 contract-violation/);
    expect(test.status).toBe(0);

    const schemas = cli(["schemas", "check", "--config", config, "--against", join(dir, "schemas")]);
    expect(schemas.stdout).toContain("1 schema version(s) checked: BACKWARD compatible");
    expect(schemas.status).toBe(0);

    const out = join(dir, ".ce-gateway");
    const build = cli(["build", "--target", "workers", "--config", config, "--out", out]);
    expect(build.stderr).toBe("");
    expect(build.status).toBe(0);
    expect(readFileSync(join(out, "worker.js"), "utf8")).toContain("createWorker");
    expect(existsSync(join(out, "validators.js"))).toBe(true);
  });

  it("refuses to overwrite files, naming them (exit 1), unless --force", () => {
    const dir = newDir();
    expect(cli(["init", dir]).status).toBe(0);
    writeFileSync(join(dir, "gateway.yaml"), "# mine\n");
    const again = cli(["init", dir]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain(join(dir, "gateway.yaml"));
    expect(again.stderr).toContain(join(dir, "wrangler.toml"));
    expect(again.stderr).toContain("--force");
    expect(readFileSync(join(dir, "gateway.yaml"), "utf8")).toBe("# mine\n");

    const forced = cli(["init", dir, "--force"]);
    expect(forced.status).toBe(0);
    expect(readFileSync(join(dir, "gateway.yaml"), "utf8")).toContain("version: 1");
  });
});
