/**
 * One request must not be able to take the gateway down: the real
 * `ce-gateway serve`, under the heap Node gives itself in a 1 GiB container
 * (--max-old-space-size=256), answers 32 concurrent worst-case 1 MiB bodies of
 * each shape with a 4xx, stays up, stays small, and keeps its log lines short.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningCli, startCli } from "../support/cli-process.js";

const MIB = 1024 * 1024;
const CONCURRENT = 32;
const BATCH = "application/cloudevents-batch+json";
const STRUCTURED = "application/cloudevents+json";

/** `[x,x,...]` of exactly `bytes` bytes (padded with spaces before the closing bracket). */
function repeatedArray(element: string, bytes: number): string {
  const count = Math.floor((bytes - 2) / (element.length + 1));
  const body = `[${Array.from({ length: count }, () => element).join(",")}`;
  return `${body}${" ".repeat(bytes - 1 - body.length)}]`;
}

/** A structured event whose id is nearly 1 MiB, refused for its specversion (0.3). */
function hugeIdEvent(): string {
  const envelope = '{"specversion":"0.3","source":"/s","type":"t","id":""}';
  return envelope.replace('"id":""', `"id":"${"x".repeat(MIB - envelope.length - 16)}"`);
}

const SHAPES = [
  { name: "[1,1,...]", type: BATCH, body: repeatedArray("1", MIB) },
  { name: "[{},{},...]", type: BATCH, body: repeatedArray("{}", MIB) },
  { name: "a 1 MB id", type: STRUCTURED, body: hugeIdEvent() },
];

/** A process's resident set (VmRSS) or its peak so far (VmHWM), in MiB, from the kernel. */
function rssMiB(pid: number, field: "VmRSS" | "VmHWM"): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(status)?.[1]);
  return kib / 1024;
}

const running: RunningCli[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((cli) => cli.stop("SIGKILL")));
});

async function serve(config?: string) {
  const args = ["serve", "--port", "0"];
  if (config !== undefined) {
    const file = join(mkdtempSync(join(tmpdir(), "ce-gateway-")), "gateway.yaml");
    writeFileSync(file, config);
    args.push("--config", file);
  }
  const cli = await startCli(args, {}, ["--max-old-space-size=256"]);
  running.push(cli);
  return cli;
}

async function fireAll(cli: RunningCli, concurrent: number) {
  const requests = SHAPES.flatMap((shape) =>
    Array.from({ length: concurrent }, async () => {
      const response = await fetch(`${cli.url}/events`, {
        method: "POST",
        headers: { "content-type": shape.type },
        body: shape.body,
      });
      return {
        shape: shape.name,
        status: response.status,
        type: response.headers.get("content-type"),
        text: await response.text(),
      };
    }),
  );
  return Promise.all(requests);
}

function expectSurvived(cli: RunningCli, answers: Awaited<ReturnType<typeof fireAll>>) {
  for (const answer of answers) {
    expect(answer.status, answer.shape).toBeGreaterThanOrEqual(400);
    expect(answer.status, answer.shape).toBeLessThan(500);
    expect(answer.type).toBe("application/problem+json");
    expect(answer.text.length).toBeLessThan(64 * 1024);
  }
  expect(cli.child.exitCode).toBeNull();
  const lines = cli.stderr().trim().split("\n");
  for (const line of lines) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(16 * 1024);
  expect(cli.stderr()).not.toContain("x".repeat(1000));
  // One info line per rejected request, and nothing else beyond the start line.
  const rejected = lines.map((line) => JSON.parse(line)).filter((line) => line.msg?.startsWith("rejected"));
  expect(rejected).toHaveLength(answers.length);
}

describe("ce-gateway serve under hostile load", () => {
  it("answers 32 concurrent worst-case bodies of each shape with a 4xx and stays up and small", async () => {
    const cli = await serve();
    const idle = rssMiB(cli.child.pid as number, "VmRSS");
    const answers = await fireAll(cli, CONCURRENT);
    expectSurvived(cli, answers);
    expect(new Set(answers.map((a) => `${a.shape} ${a.status}`))).toEqual(
      new Set(["[1,1,...] 413", "[{},{},...] 413", "a 1 MB id 400"]),
    );
    expect((await fetch(`${cli.url}/healthz`)).status).toBe(200);
    // 96 bodies of 1 MiB may all be in flight at once, each held up to twice (the received chunks and
    // the joined body): 192 MiB at most, while the work per request is bounded by the batch limit.
    // Before the limits, one [{},{},...] request alone took 1.36 GB.
    const growth = rssMiB(cli.child.pid as number, "VmHWM") - idle;
    expect(growth).toBeLessThan(192);
  }, 60_000);

  it("stays up and small with the batch limit raised, where the failure limit does the work", async () => {
    const cli = await serve("version: 1\nserver: { maxBatchEvents: 1000000 }\n");
    // Fewer at once: each [1,1,...] is now scanned to its end (524,000 elements), which is the point.
    const answers = await fireAll(cli, 8);
    expectSurvived(cli, answers);
    expect(new Set(answers.map((a) => `${a.shape} ${a.status}`))).toEqual(
      new Set(["[1,1,...] 400", "[{},{},...] 400", "a 1 MB id 400"]),
    );
    expect((await fetch(`${cli.url}/healthz`)).status).toBe(200);
    // The heap is capped at 256 MiB; what is left is the bodies in flight and Node itself.
    expect(rssMiB(cli.child.pid as number, "VmHWM")).toBeLessThan(400);
  }, 60_000);
});
