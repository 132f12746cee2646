/**
 * A socket-level storm against the real `ce-gateway serve` (heap capped at
 * 256 MiB, as in a 1 GiB container), delivering to a local HTTP receiver.
 * Hundreds of concurrent raw TCP connections send a mix of valid events,
 * garbage, half-sent requests, slowloris headers, oversized headers and
 * bodies, pipelined requests and abrupt closes. The process must stay up,
 * answer no complete request with a 5xx, deliver every event it accepted
 * exactly once (and none twice), and keep its memory flat across two rounds.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningCli, startCli } from "../support/cli-process.js";
import { type HttpReceiver, startHttpReceiver } from "../support/http-receiver.js";

/** Connections per round: at least this many, at once. */
const CONNECTIONS = Number(process.env.CE_FUZZ_STORM_CONNECTIONS ?? 300);
const ROUNDS = 2;
const MIB = 1024 * 1024;
const CONNECTION_DEADLINE_MS = 30_000;

type CaseKind =
  | "binary"
  | "structured"
  | "batch"
  | "pipelined"
  | "garbage"
  | "half-sent"
  | "slowloris"
  | "huge-header"
  | "huge-body"
  | "abrupt-close"
  | "sent-then-closed";

interface Plan {
  readonly kind: CaseKind;
  /** Valid event ids the connection sends, in request order. */
  readonly ids: readonly string[];
  /** Bytes written one after another (a pause between them for slowloris). */
  readonly chunks: readonly Uint8Array[];
  readonly pauseMs: number;
  /** Whether the client hangs up right after writing, without reading an answer. */
  readonly hangUp: boolean;
}

interface Outcome {
  readonly plan: Plan;
  /** Status of each complete response, in order. */
  readonly statuses: number[];
}

const encoder = new TextEncoder();
const bytesOf = (text: string) => encoder.encode(text);

function request(head: Record<string, string>, body: string | Uint8Array, close = true): Uint8Array {
  const payload = typeof body === "string" ? bytesOf(body) : body;
  const lines = [
    "POST /events HTTP/1.1",
    "Host: gateway",
    `Content-Length: ${payload.length}`,
    ...(close ? ["Connection: close"] : []),
    ...Object.entries(head).map(([k, v]) => `${k}: ${v}`),
  ];
  return new Uint8Array([...bytesOf(`${lines.join("\r\n")}\r\n\r\n`), ...payload]);
}

const eventJson = (id: string, data: unknown) =>
  JSON.stringify({ specversion: "1.0", id, source: "/storm", type: "com.example.storm", data });

/** One structured-mode request for the event `id`. */
const structuredRequest = (id: string, data: unknown) =>
  request({ "Content-Type": "application/cloudevents+json" }, eventJson(id, data));

let serial = 0;
const nextId = (round: number) => `storm-${round}-${++serial}`;

const kindArb = fc.constantFrom<CaseKind>(
  "binary",
  "structured",
  "structured",
  "batch",
  "pipelined",
  "garbage",
  "half-sent",
  "slowloris",
  "huge-header",
  "huge-body",
  "abrupt-close",
  "sent-then-closed",
);

/** One connection's plan, drawn by fast-check (the seed is printed, so a round can be replayed). */
function planFor(round: number, kind: CaseKind, data: unknown, garbage: Uint8Array): Plan {
  const base = { pauseMs: 0, hangUp: false };
  switch (kind) {
    case "binary": {
      const id = nextId(round);
      const head = {
        "ce-specversion": "1.0",
        "ce-id": id,
        "ce-source": "/storm",
        "ce-type": "com.example.storm",
        "Content-Type": "application/json",
      };
      return { ...base, kind, ids: [id], chunks: [request(head, JSON.stringify(data))] };
    }
    case "structured": {
      const id = nextId(round);
      return { ...base, kind, ids: [id], chunks: [structuredRequest(id, data)] };
    }
    case "batch": {
      const ids = [nextId(round), nextId(round), nextId(round)];
      const body = `[${ids.map((id) => eventJson(id, data)).join(",")}]`;
      return {
        ...base,
        kind,
        ids,
        chunks: [request({ "Content-Type": "application/cloudevents-batch+json" }, body)],
      };
    }
    case "pipelined": {
      const ids = [nextId(round), nextId(round)];
      const first = request(
        { "Content-Type": "application/cloudevents+json" },
        eventJson(ids[0] as string, data),
        false,
      );
      const second = request(
        { "Content-Type": "application/cloudevents+json" },
        eventJson(ids[1] as string, data),
      );
      return { ...base, kind, ids, chunks: [new Uint8Array([...first, ...second])] };
    }
    case "garbage":
      return { ...base, kind, ids: [], chunks: [garbage, bytesOf("\r\n\r\n")] };
    case "half-sent": {
      const full = request(
        { "Content-Type": "application/cloudevents+json" },
        eventJson(nextId(round), data),
      );
      return { ...base, kind, ids: [], chunks: [full.subarray(0, Math.floor(full.length * 0.7))] };
    }
    case "slowloris": {
      const lines = [
        "POST /events HTTP/1.1\r\nHost: gateway\r\n",
        ...Array.from({ length: 8 }, (_, i) => `X-Drip-${i}: ${"d".repeat(20)}\r\n`),
      ];
      return { kind, ids: [], chunks: lines.map(bytesOf), pauseMs: 250, hangUp: true };
    }
    case "huge-header": {
      const head = { "Content-Type": "application/cloudevents+json", "X-Padding": "p".repeat(64 * 1024) };
      return { ...base, kind, ids: [], chunks: [request(head, eventJson("never", data))] };
    }
    case "huge-body": {
      // Declared 3 MiB, 2 MiB sent: past the 1 MiB default limit either way.
      const head =
        "POST /events HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\nContent-Type: application/cloudevents+json\r\nContent-Length: 3145728\r\n\r\n";
      return { ...base, kind, ids: [], chunks: [bytesOf(head), new Uint8Array(2 * MIB).fill(0x20)] };
    }
    case "abrupt-close": {
      const full = request(
        { "Content-Type": "application/cloudevents+json" },
        eventJson(nextId(round), data),
      );
      return {
        ...base,
        kind,
        ids: [],
        chunks: [full.subarray(0, Math.floor(full.length / 2))],
        hangUp: true,
      };
    }
    case "sent-then-closed": {
      // A whole request and an immediate hang-up: the event may or may not be delivered, but never twice.
      const id = nextId(round);
      return { ...base, kind, ids: [id], chunks: [structuredRequest(id, data)], hangUp: true };
    }
  }
}

const STATUS_LINE = /^HTTP\/1\.[01] (\d{3}) /gm;

/** Runs one connection's plan and collects the status of every complete response head. */
function runConnection(port: number, plan: Plan): Promise<Outcome> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket: Socket = connect({ port, host: "127.0.0.1" });
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      socket.destroy();
      const text = Buffer.concat(chunks).toString("latin1");
      const statuses: number[] = [];
      for (const match of text.matchAll(STATUS_LINE)) {
        // Complete: the head has ended.
        if (text.indexOf("\r\n\r\n", match.index) !== -1) statuses.push(Number(match[1]));
      }
      resolve({ plan, statuses });
    };
    const deadline = setTimeout(finish, CONNECTION_DEADLINE_MS);
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", finish);
    socket.on("close", finish);
    socket.on("connect", async () => {
      for (const chunk of plan.chunks) {
        if (done || socket.destroyed) return;
        socket.write(chunk);
        if (plan.pauseMs > 0) await new Promise((r) => setTimeout(r, plan.pauseMs));
      }
      if (plan.hangUp) finish();
      else if (plan.kind === "half-sent" || plan.kind === "garbage") socket.end();
    });
  });
}

function rssMiB(pid: number, field: "VmRSS" | "VmHWM"): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(status)?.[1]) / 1024;
}

/** Ids the receiver got, with how often each came. */
function deliveredCounts(receiver: HttpReceiver): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of receiver.requests) {
    const id = (JSON.parse(new TextDecoder().decode(r.body)) as { id: string }).id;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

async function settle(receiver: HttpReceiver, accepted: readonly string[]): Promise<void> {
  // Delivery is awaited before the 202, so this is only for in-flight hang-ups; bounded, not timed.
  for (let i = 0; i < 100; i++) {
    const counts = deliveredCounts(receiver);
    if (accepted.every((id) => counts.has(id))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

let receiver: HttpReceiver;
let cli: RunningCli;

beforeAll(async () => {
  receiver = await startHttpReceiver();
  const file = join(mkdtempSync(join(tmpdir(), "ce-gateway-storm-")), "gateway.yaml");
  writeFileSync(
    file,
    `version: 1
targets:
  hook: { type: http, url: "${receiver.url}/storm", mode: structured }
routes:
  - name: all
    to: [hook]
`,
  );
  cli = await startCli(["serve", "--config", file, "--port", "0"], {}, ["--max-old-space-size=256"]);
}, 60_000);

afterAll(async () => {
  await cli?.stop("SIGKILL");
  await receiver?.close();
});

describe("a socket-level storm against ce-gateway serve", () => {
  it("stays up, answers no complete request with a 5xx, delivers each accepted event once, and keeps its memory flat", async () => {
    const pid = cli.child.pid as number;
    const port = Number(new URL(cli.url).port);
    const rssBefore = rssMiB(pid, "VmRSS");
    const afterRound: number[] = [];
    const accepted: string[] = [];
    const sent: string[] = [];
    const kinds = new Map<string, number>();
    const statuses = new Map<number, number>();
    let cases = 0;

    for (let round = 1; round <= ROUNDS; round++) {
      const drawn = fc.sample(
        fc.tuple(kindArb, fc.jsonValue({ maxDepth: 2 }), fc.uint8Array({ minLength: 1, maxLength: 400 })),
        {
          numRuns: CONNECTIONS,
          seed: 4242 + round,
        },
      );
      const plans = drawn.map(([kind, data, garbage]) => planFor(round, kind, data, garbage));
      const outcomes = await Promise.all(plans.map((plan) => runConnection(port, plan)));
      for (const { plan, statuses: got } of outcomes) {
        cases++;
        kinds.set(plan.kind, (kinds.get(plan.kind) ?? 0) + 1);
        sent.push(...plan.ids);
        for (const status of got) statuses.set(status, (statuses.get(status) ?? 0) + 1);
        for (const status of got) expect(status, `${plan.kind}: ${got}`).toBeLessThan(500);
        // A pipelined connection has one answer per event; the others one answer for all their events.
        const perEvent = plan.kind === "pipelined";
        for (const [i, status] of got.entries()) {
          if (status === 202) accepted.push(...(perEvent ? [plan.ids[i] as string] : plan.ids));
        }
      }
      await settle(receiver, accepted);
      expect(cli.child.exitCode).toBeNull();
      expect((await fetch(`${cli.url}/healthz`)).status).toBe(200);
      afterRound.push(rssMiB(pid, "VmRSS"));
    }

    const counts = deliveredCounts(receiver);
    for (const id of accepted) expect(counts.get(id), id).toBe(1);
    for (const [id, count] of counts) expect(count, id).toBe(1);
    const sentIds = new Set(sent);
    for (const id of counts.keys()) expect(sentIds.has(id), id).toBe(true);

    const peak = rssMiB(pid, "VmHWM");
    console.log(
      JSON.stringify({
        storm: {
          rounds: ROUNDS,
          connectionsPerRound: CONNECTIONS,
          cases,
          kinds: Object.fromEntries(kinds),
          statuses: Object.fromEntries(statuses),
          validEventsSent: sent.length,
          accepted: accepted.length,
          delivered: counts.size,
          rssMiB: { before: rssBefore, afterRounds: afterRound, peak },
        },
      }),
    );
    // A floor of valid traffic got through, so the storm proved delivery, not only refusals.
    expect(accepted.length).toBeGreaterThan(CONNECTIONS / 4);
    expect(peak).toBeLessThan(400);
    // No growth trend: the second round leaves the process no bigger than the first did, give or take GC timing.
    expect(afterRound[1] as number).toBeLessThan((afterRound[0] as number) + 48);
  }, 180_000);
});
