/** Starts a throwaway nats-server with JetStream (temp store, free port) for a benchmark run. */
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
import { removeOnExit, spawnChild, stopChild } from "./children.js";

export async function startBenchNats() {
  const dir = removeOnExit(mkdtempSync(join(tmpdir(), "ce-gateway-bench-nats-")));
  const ports = join(dir, "ports");
  mkdirSync(ports);
  const conf = join(dir, "server.conf");
  // port -1: the server picks a free port and writes it to ports_file_dir, so there is no race
  // between choosing a port and binding it.
  writeFileSync(
    conf,
    `host: 127.0.0.1\nport: -1\nports_file_dir: "${ports}"\njetstream { store_dir: "${join(dir, "store")}" }\n`,
  );
  const bin = existsSync("/usr/sbin/nats-server") ? "/usr/sbin/nats-server" : "nats-server";
  const handle = spawnChild(bin, ["-c", conf]);
  const deadline = Date.now() + 10_000;
  let url;
  while (url === undefined) {
    if (handle.child.exitCode !== null || Date.now() > deadline)
      throw new Error(`nats-server did not start:\n${handle.output.text}`);
    const file = existsSync(ports) ? readdirSync(ports).find((f) => f.endsWith(".ports")) : undefined;
    if (file) url = JSON.parse(readFileSync(join(ports, file), "utf8")).nats?.[0];
    else await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 200));
  return {
    url,
    pid: handle.child.pid,
    async stop() {
      await stopChild(handle);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
