/**
 * Starts a real nats-server for a test: a free port, a temporary JetStream
 * store, a monitoring port and a WebSocket listener, all chosen by the server
 * (`-1`) and read back from its ports file. It can be stopped, restarted on the
 * same ports, paused and resumed, to test outages.
 */
import { type ChildProcess, spawn } from "node:child_process";
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

const BINARY =
  process.env.NATS_SERVER_BIN ??
  (existsSync("/usr/sbin/nats-server") ? "/usr/sbin/nats-server" : "nats-server");

/**
 * Waits until /proc says the process is stopped ("T"): a signal is delivered
 * asynchronously, and a busy machine can let the server answer a few more
 * requests after kill() returns.
 */
async function stoppedState(pid: number | undefined): Promise<void> {
  if (pid === undefined) return;
  const until = Date.now() + 5_000;
  while (Date.now() < until) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      if (stat.slice(stat.lastIndexOf(")") + 2).startsWith("T")) return;
    } catch {
      return; // no /proc: nothing more to wait for
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`nats-server (pid ${pid}) did not stop`);
}

export interface NatsServer {
  readonly url: string;
  readonly port: number;
  readonly websocketUrl: string;
  readonly monitorUrl: string;
  stop(): Promise<void>;
  /** Starts again on the same ports and store. */
  restart(): Promise<void>;
  /** Stops the process (SIGSTOP) and resolves once the kernel reports it stopped. */
  pause(): Promise<void>;
  resume(): void;
  /** Stops and removes the store. */
  dispose(): Promise<void>;
}

interface Ports {
  nats: string[];
  monitoring: string[];
  websocket: string[];
}

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function launch(configFile: string): ChildProcess {
  const child = spawn(BINARY, ["-c", configFile], { stdio: ["ignore", "ignore", "pipe"] });
  child.stderr?.resume();
  return child;
}

export async function startNatsServer(
  options: { maxPayload?: number; extraConfig?: string } = {},
): Promise<NatsServer> {
  const dir = mkdtempSync(join(tmpdir(), "ce-gateway-nats-"));
  const portsDir = join(dir, "ports");
  mkdirSync(portsDir);
  const writeConfig = (port: number | -1, monitor: number | -1, ws: number | -1) => {
    const file = join(dir, "server.conf");
    writeFileSync(
      file,
      [
        "host: 127.0.0.1",
        `port: ${port}`,
        `http_port: ${monitor}`,
        `ports_file_dir: "${portsDir}"`,
        ...(options.maxPayload ? [`max_payload: ${options.maxPayload}`] : []),
        `jetstream { store_dir: "${join(dir, "store")}" }`,
        `websocket { host: 127.0.0.1, port: ${ws}, no_tls: true }`,
        ...(options.extraConfig ? [options.extraConfig] : []),
      ].join("\n"),
    );
    return file;
  };

  let child = launch(writeConfig(-1, -1, -1));
  const ports = await waitFor<Ports>("nats-server ports file", () => {
    if (!existsSync(portsDir)) return undefined;
    const file = readdirSync(portsDir).find((f) => f.endsWith(".ports"));
    if (file === undefined) return undefined;
    try {
      return JSON.parse(readFileSync(join(portsDir, file), "utf8")) as Ports;
    } catch {
      return undefined;
    }
  });
  const portOf = (urls: string[] | undefined) => Number(new URL(urls?.[0] ?? "").port);
  const port = portOf(ports.nats);
  const monitorPort = portOf(ports.monitoring);
  const wsPort = portOf(ports.websocket);
  const monitorUrl = `http://127.0.0.1:${monitorPort}`;
  const fixedConfig = writeConfig(port, monitorPort, wsPort);

  const healthy = async () => {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      try {
        const response = await fetch(`${monitorUrl}/healthz?js-enabled-only=true`);
        if (response.ok) return;
      } catch {
        // not up yet
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error("nats-server did not become healthy");
  };
  await healthy();

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGCONT");
    child.kill("SIGTERM");
    await exited;
  };
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    websocketUrl: `ws://127.0.0.1:${wsPort}`,
    monitorUrl,
    stop,
    async restart() {
      await stop();
      child = launch(fixedConfig);
      await healthy();
    },
    async pause() {
      child.kill("SIGSTOP");
      await stoppedState(child.pid);
    },
    resume: () => child.kill("SIGCONT"),
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
