/**
 * The real `ce-gateway` process: what a new user runs.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { freePort, projectRoot, type RunningCli, runCli, startCli } from "../support/cli-process.js";

const running: RunningCli[] = [];
async function start(args: string[], env: Record<string, string> = {}) {
  const cli = await startCli(args, env);
  running.push(cli);
  return cli;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((cli) => cli.stop("SIGKILL")));
});

function tempConfig(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "ce-gateway-")), "gateway.yaml");
  writeFileSync(file, text);
  return file;
}

describe("ce-gateway serve", () => {
  it("finishes in-flight requests on SIGTERM, then exits 0", async () => {
    const cli = await start(["serve", "--port", "0"]);
    const { hostname, port } = new URL(cli.url);
    const body = '{"specversion":"1.0","id":"late","source":"/s","type":"t"}';
    const response = new Promise<number>((resolve, reject) => {
      const req = request(
        {
          hostname,
          port,
          path: "/events",
          method: "POST",
          headers: { "content-type": "application/cloudevents+json", "content-length": body.length },
        },
        (res) => resolve(res.statusCode ?? 0),
      );
      req.on("error", reject);
      req.write(body.slice(0, 10));
      setTimeout(() => {
        cli.child.kill("SIGTERM");
        setTimeout(() => req.end(body.slice(10)), 300);
      }, 200);
    });
    expect(await response).toBe(202);
    expect(await cli.exited).toBe(0);
    expect(cli.stdout()).toContain('"id":"late"');
  });

  it("answers 400 to a body cut short and keeps serving", async () => {
    const cli = await start(["serve", "--port", "0"]);
    const { hostname, port } = new URL(cli.url);
    const raw = await new Promise<string>((resolve) => {
      const socket = connect(Number(port), hostname, () => {
        socket.write(
          'POST /events HTTP/1.1\r\nHost: x\r\ncontent-type: application/cloudevents+json\r\ncontent-length: 100\r\n\r\n{"specversion":',
        );
        setTimeout(() => socket.end(), 100);
      });
      let received = "";
      socket.on("data", (chunk) => {
        received += chunk.toString();
      });
      socket.on("close", () => resolve(received));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    await expect.poll(() => cli.stderr()).toContain('"code":"body-incomplete"');
    const health = await fetch(`${cli.url}/healthz`);
    expect(health.status).toBe(200);
  });

  it("takes the port from the flag, then PORT, then the config file", async () => {
    const [flagPort, envPort, filePort] = await Promise.all([freePort(), freePort(), freePort()]);
    const config = tempConfig(`version: 1\nserver: { port: ${filePort} }\n`);
    const byFlag = await start(["serve", "--config", config, "--port", String(flagPort)], {
      PORT: String(envPort),
    });
    expect(new URL(byFlag.url).port).toBe(String(flagPort));
    const byEnv = await start(["serve", "--config", config], { PORT: String(envPort) });
    expect(new URL(byEnv.url).port).toBe(String(envPort));
    const byFile = await start(["serve", "--config", config]);
    expect(new URL(byFile.url).port).toBe(String(filePort));
  });

  it("routes by a config file to its targets", async () => {
    const config = tempConfig("targets:\n  out: { type: stdout }\nroutes:\n  - { name: all, to: [out] }\n");
    const cli = await start(["serve", "--config", config, "--port", "0"]);
    const response = await fetch(`${cli.url}/events`, {
      method: "POST",
      headers: { "ce-specversion": "1.0", "ce-id": "cfg", "ce-source": "/s", "ce-type": "t" },
    });
    expect(response.status).toBe(202);
    await expect.poll(() => cli.stdout()).toContain('"id":"cfg"');
  });

  it("enforces the schemas/ folder beside a config without a schemas section, unless it opts out", async () => {
    const config = tempConfig("targets:\n  out: { type: stdout }\nroutes:\n  - { name: all, to: [out] }\n");
    cpSync(join(projectRoot, "schemas"), join(dirname(config), "schemas"), { recursive: true });
    const badOrder = {
      method: "POST",
      headers: { "content-type": "application/cloudevents+json" },
      body: '{"specversion":"1.0","id":"o","source":"/s","type":"com.example.order.created","data":{"orderId":1}}',
    };
    const implicit = await start(["serve", "--config", config, "--port", "0"]);
    expect(implicit.stderr()).toContain(`"schemas":"${join(dirname(config), "schemas")}"`);
    expect((await fetch(`${implicit.url}/events`, badOrder)).status).toBe(422);

    const optedOut = tempConfig(
      "targets:\n  out: { type: stdout }\nroutes:\n  - { name: all, to: [out] }\nschemas: { mode: off }\n",
    );
    cpSync(join(projectRoot, "schemas"), join(dirname(optedOut), "schemas"), { recursive: true });
    const off = await start(["serve", "--config", optedOut, "--port", "0"]);
    expect((await fetch(`${off.url}/events`, badOrder)).status).toBe(202);

    const bare = await start(["serve", "--config", tempConfig("version: 1\n"), "--port", "0"]);
    expect(bare.stderr()).toContain('"schemas":"none"');
  });

  it("refuses to start on an invalid config, naming what is wrong", async () => {
    const config = tempConfig(
      "targets:\n  out: { type: stdout }\nroutes:\n  - { name: all, to: [ot] }\nextra: 1\n",
    );
    const run = runCli(["serve", "--config", config, "--port", "0"]);
    expect(await run.exited).toBe(2);
    expect(run.output().stderr).toContain('extra: unknown key "extra"');
    const typo = tempConfig("targets:\n  out: { type: stdout }\nroutes:\n  - { name: all, to: [ot] }\n");
    const second = runCli(["serve", "--config", typo, "--port", "0"]);
    expect(await second.exited).toBe(2);
    expect(second.output().stderr).toContain('routes[0].to[0]: unknown target "ot"');
  });

  it("runs with a 4 MB young generation (peak memory under load), unless the user sets one", async () => {
    const v8Flags = async (nodeArgs: string[], env: Record<string, string> = {}) => {
      const cli = await startCli(["serve", "--port", "0"], env, nodeArgs);
      running.push(cli);
      // The same process (re-executed in place): its command line shows the flags it runs with.
      const cmdline = readFileSync(`/proc/${cli.child.pid}/cmdline`, "utf8").split("\0");
      return cmdline.filter((arg) => arg.startsWith("--max-semi-space-size"));
    };
    expect(await v8Flags([])).toEqual(["--max-semi-space-size=4"]);
    expect(await v8Flags(["--max-semi-space-size=8"])).toEqual(["--max-semi-space-size=8"]);
    expect(await v8Flags([], { NODE_OPTIONS: "--max-semi-space-size=2" })).toEqual([]);
  });

  it("prints usage for --help and the version for --version", () => {
    const run = (arg: string) =>
      execFileSync(process.execPath, [join(projectRoot, "bin/ce-gateway.js"), arg], { encoding: "utf8" });
    expect(run("--help")).toContain("ce-gateway serve");
    const { version } = JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8"));
    expect(run("--version").trim()).toBe(version);
  });
});
