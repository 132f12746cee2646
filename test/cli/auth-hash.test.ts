/**
 * `ce-gateway auth hash` through the real command: the hash of a key read on
 * stdin, and a generated key whose printed hash a served gateway accepts.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { projectRoot, type RunningCli, startCli } from "../support/cli-process.js";

const bin = join(projectRoot, "bin/ce-gateway.js");
const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** Runs the CLI with `input` on stdin; resolves with its exit code and output. */
function cli(args: string[], input = ""): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: projectRoot,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

let server: RunningCli | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe("ce-gateway auth hash", () => {
  it("prints the SHA-256 of the key on stdin, one trailing newline dropped", async () => {
    const key = "ceg_orders_9d8c7b6a5f4e3d2c";
    const piped = await cli(["auth", "hash"], `${key}\n`);
    expect(piped.code).toBe(0);
    expect(piped.stdout).toBe(`${sha256(key)}\n`);
    const bare = await cli(["auth", "hash"], key);
    expect(bare.stdout).toBe(`${sha256(key)}\n`);
    // Only one newline is trimmed: a key may end in spaces, which are kept.
    const spaced = await cli(["auth", "hash"], "key with space \n");
    expect(spaced.stdout).toBe(`${sha256("key with space ")}\n`);
  });

  it("refuses an empty stdin and unknown arguments", async () => {
    const empty = await cli(["auth", "hash"], "");
    expect(empty.code).toBe(1);
    expect(empty.stdout).toBe("");
    expect((await cli(["auth", "hash", "--frobnicate"])).code).toBe(2);
    expect((await cli(["auth"])).code).toBe(2);
  });

  it("--generate prints a random key and its hash, which a served gateway accepts", async () => {
    const first = await cli(["auth", "hash", "--generate"]);
    const second = await cli(["auth", "hash", "--generate"]);
    expect(first.code).toBe(0);
    const parse = (stdout: string) => ({
      key: /^key: ([A-Za-z0-9_-]+)$/m.exec(stdout)?.[1] ?? "",
      hash: /^sha256: ([0-9a-f]{64})$/m.exec(stdout)?.[1] ?? "",
    });
    const { key, hash } = parse(first.stdout);
    expect(Buffer.from(key, "base64url")).toHaveLength(32);
    expect(hash).toBe(sha256(key));
    expect(parse(second.stdout).key).not.toBe(key);

    const dir = mkdtempSync(join(tmpdir(), "ce-gateway-auth-hash-"));
    const config = join(dir, "gateway.yaml");
    writeFileSync(
      config,
      `version: 1\ntargets:\n  out: { type: stdout }\nroutes:\n  - { name: all, to: [out] }\nauth:\n  apiKeys:\n    - { id: generated, sha256: "${hash}" }\n`,
    );
    server = await startCli(["serve", "--config", config, "--port", "0"]);
    const send = (token: string) =>
      fetch(`${server?.url}/events`, {
        method: "POST",
        headers: { "content-type": "application/cloudevents+json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ specversion: "1.0", id: "1", source: "/s", type: "t" }),
      });
    expect((await send(key)).status).toBe(202);
    expect((await send(parse(second.stdout).key)).status).toBe(401);
  });

  it("is in the help", async () => {
    const help = await cli(["--help"]);
    expect(help.stdout).toContain("ce-gateway auth hash");
    expect(help.stdout).toContain("--generate");
  });
});
