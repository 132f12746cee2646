/** Starts a throwaway nats-server with JetStream for a benchmark run. */
import { spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export async function startBenchNats() {
  const dir = mkdtempSync(join(tmpdir(), "ce-gateway-bench-nats-"));
  const ports = join(dir, "ports");
  mkdirSync(ports);
  const conf = join(dir, "server.conf");
  writeFileSync(
    conf,
    `host: 127.0.0.1\nport: -1\nports_file_dir: "${ports}"\njetstream { store_dir: "${join(dir, "store")}" }\n`,
  );
  const bin = existsSync("/usr/sbin/nats-server") ? "/usr/sbin/nats-server" : "nats-server";
  const child = spawn(bin, ["-c", conf], { stdio: "ignore" });
  const deadline = Date.now() + 10_000;
  let url;
  while (url === undefined) {
    if (Date.now() > deadline) throw new Error("nats-server did not start");
    const file = existsSync(ports) ? readdirSync(ports).find((f) => f.endsWith(".ports")) : undefined;
    if (file) url = JSON.parse(readFileSync(join(ports, file), "utf8")).nats?.[0];
    else await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 200));
  return {
    url,
    async stop() {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
