/**
 * Starts Google's Pub/Sub emulator (a Java process) for a test file on a free
 * port, waits until it answers, and offers what tests need to read events
 * back over its REST API: topics, subscriptions, pull with ack. It serves
 * gRPC and REST on the same port. Under CI (CE_REQUIRE_PUBSUB_EMULATOR=1,
 * set by .ci/run) a missing emulator fails the run; elsewhere the tests that
 * need it skip, saying why.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import { freePort } from "./cli-process.js";

const LAUNCHER = join("platform", "pubsub-emulator", "bin", "cloud-pubsub-emulator");

/** The launcher: PUBSUB_EMULATOR_BIN, the Debian package's path, or beside gcloud (found without running it). */
function findLauncher(): string | undefined {
  const candidates = [process.env.PUBSUB_EMULATOR_BIN, join("/usr/lib/google-cloud-sdk", LAUNCHER)];
  try {
    const gcloud = realpathSync(execFileSync("which", ["gcloud"], { encoding: "utf8" }).trim());
    candidates.push(join(dirname(dirname(gcloud)), LAUNCHER));
  } catch {
    // no gcloud on PATH
  }
  return candidates.find((c): c is string => c !== undefined && existsSync(c));
}

function javaMissing(): boolean {
  try {
    execFileSync("java", ["-version"], { stdio: "ignore" });
    return false;
  } catch {
    return true;
  }
}

const launcher = findLauncher();

/** Why the emulator cannot run here, or undefined when it can. */
export const pubsubEmulatorMissing: string | undefined =
  launcher === undefined
    ? "Google's Pub/Sub emulator is not installed (Debian package google-cloud-cli-pubsub-emulator, or set PUBSUB_EMULATOR_BIN)"
    : javaMissing()
      ? "Google's Pub/Sub emulator needs Java on PATH (Debian package openjdk-17-jre-headless)"
      : undefined;

if (pubsubEmulatorMissing !== undefined && process.env.CE_REQUIRE_PUBSUB_EMULATOR === "1")
  throw new Error(`CE_REQUIRE_PUBSUB_EMULATOR=1 but ${pubsubEmulatorMissing}`);

export interface PulledMessage {
  readonly topic: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly data: Uint8Array;
  readonly orderingKey?: string;
}

export interface PubsubEmulator {
  /** host:port, for the gRPC client's apiEndpoint. */
  readonly host: string;
  /** http://host:port, the REST API's base URL. */
  readonly restUrl: string;
  createTopic(projectId: string, topic: string): Promise<void>;
  /** A subscription that receives the topic's messages from now on (in per-key order when asked). */
  createSubscription(
    projectId: string,
    subscription: string,
    topic: string,
    options?: { ordering?: boolean },
  ): Promise<void>;
  /** The messages waiting on the subscription (none when nothing is waiting), acknowledged. */
  pull(projectId: string, subscription: string, topic: string): Promise<PulledMessage[]>;
  /** Ends the emulator (and its JVM) and waits until it has exited. */
  stop(): Promise<void>;
}

async function call(url: string, method: string, body?: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`emulator ${method} ${url}: HTTP ${response.status} ${text}`);
  return text === "" ? {} : JSON.parse(text);
}

/** Ends the launcher's process group: the launcher may leave its JVM running as a child. */
async function stopGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // the group is gone already
    }
  };
  signalGroup("SIGTERM");
  // The JVM takes a second or two to shut down politely; it holds nothing worth waiting longer for.
  const timer = setTimeout(() => signalGroup("SIGKILL"), 3_000);
  await exited;
  clearTimeout(timer);
  signalGroup("SIGKILL"); // any JVM left in the group after the launcher went
}

export async function startPubsubEmulator(): Promise<PubsubEmulator> {
  if (launcher === undefined || pubsubEmulatorMissing !== undefined)
    throw new Error(pubsubEmulatorMissing ?? "no Pub/Sub emulator");
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const restUrl = `http://${host}`;
  // Its own process group (detached), so stop() reaches the JVM whatever the launcher does.
  const child = spawn(launcher, [`--host=127.0.0.1`, `--port=${port}`], {
    detached: true,
    stdio: ["ignore", "ignore", "pipe"],
  });
  // Should the test process end without stop(), the JVM must not outlive it.
  const killOnExit = () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
  process.once("exit", killOnExit);
  child.once("exit", () => process.off("exit", killOnExit));
  let log = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4_000);
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the Pub/Sub emulator exited (${child.exitCode}): ${log}`);
    try {
      if ((await fetch(`${restUrl}/`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stopGroup(child);
      throw new Error(`the Pub/Sub emulator did not answer on ${host} within 30 s: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  const project = (projectId: string) => `${restUrl}/v1/projects/${projectId}`;
  return {
    host,
    restUrl,
    async createTopic(projectId, topic) {
      await call(`${project(projectId)}/topics/${topic}`, "PUT");
    },
    async createSubscription(projectId, subscription, topic, options = {}) {
      await call(`${project(projectId)}/subscriptions/${subscription}`, "PUT", {
        topic: `projects/${projectId}/topics/${topic}`,
        enableMessageOrdering: options.ordering ?? false,
      });
    },
    async pull(projectId, subscription, topic) {
      const url = `${project(projectId)}/subscriptions/${subscription}`;
      const { receivedMessages = [] } = (await call(`${url}:pull`, "POST", {
        maxMessages: 1_000,
        returnImmediately: true,
      })) as {
        receivedMessages?: {
          ackId: string;
          message: { data?: string; attributes?: Record<string, string>; orderingKey?: string };
        }[];
      };
      if (receivedMessages.length > 0)
        await call(`${url}:acknowledge`, "POST", { ackIds: receivedMessages.map((r) => r.ackId) });
      return receivedMessages.map(({ message }) => ({
        topic,
        attributes: message.attributes ?? {},
        data: new Uint8Array(Buffer.from(message.data ?? "", "base64")),
        ...(message.orderingKey ? { orderingKey: message.orderingKey } : {}),
      }));
    },
    stop: () => stopGroup(child),
  };
}
