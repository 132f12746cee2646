/**
 * The shared CloudEvents HTTP conformance cases against the Worker wrangler
 * builds with the embedded default config (every event to the stdout target,
 * which a Worker writes to its console): the same table the Node app's
 * conformance test runs, each request sent to both, and the Worker must
 * answer what the table says and write to its console exactly the line the
 * Node app's stdout target writes for the same event.
 */
import type { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeHttpRequest } from "../../src/bindings/http/decode.js";
import { allAttributes } from "../../src/event/cloud-event.js";
import { toJsonLine } from "../../src/event/json-format.js";
import { normalizeEvents } from "../../src/normalize/normalize-event.js";
import { type ProblemJson, problemOf, STRUCTURED, testGateway, text } from "../support/gateway.js";
import { conformanceTable, V03_YAML_FILES, v1YamlCases } from "../support/http-conformance-table.js";
import { sharedAvailable, sharedSkipReason } from "../support/shared-dir.js";
import {
  runBuiltWorker,
  type WranglerBuild,
  workerProblem,
  wranglerBuild,
} from "../support/wrangler-build.js";

const suite = sharedAvailable ? describe : describe.skip;
if (!sharedAvailable) console.warn(`skipping HTTP conformance in the built Worker: ${sharedSkipReason}`);

const table = conformanceTable();

let build: WranglerBuild | undefined;
let worker: Miniflare | undefined;
/** Every console line the Worker wrote, in order. */
const consoleLines: string[] = [];

/** The lines the stdout target wrote (a CloudEvent each), as opposed to the gateway's own log lines. */
function eventLines(): string[] {
  return consoleLines.filter((line) => {
    try {
      const value = JSON.parse(line) as Record<string, unknown>;
      return typeof value.specversion === "string" && !("msg" in value);
    } catch {
      return false;
    }
  });
}

/** Waits until `count` event lines follow the first `mark` (the console reaches the test through a pipe). */
async function eventLinesAfter(mark: number, count: number): Promise<string[]> {
  const deadline = Date.now() + 5_000;
  while (eventLines().length < mark + count && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return eventLines().slice(mark);
}

const decodeLine = (line: string) =>
  normalizeEvents(decodeHttpRequest(new Headers(STRUCTURED), new TextEncoder().encode(line)).events)[0];

/** A problem's fields that say what went wrong (not where the answer came from). */
const problemSummary = (problem: ProblemJson) => ({
  status: problem.status,
  code: problem.code,
  errors: problem.errors,
});

beforeAll(async () => {
  if (!sharedAvailable) return;
  build = await wranglerBuild();
  worker = await runBuiltWorker(build.outdir, {
    onConsole: (message) => consoleLines.push(...message.split("\n").filter((l) => l !== "")),
  });
}, 180_000);

afterAll(async () => {
  await worker?.dispose();
});

suite("the shared HTTP conformance cases, in the Worker wrangler builds (embedded default)", () => {
  it("has binary, structured and batch requests among its cases, and 0.3 refusals", () => {
    const modes = new Set(
      table.map(({ request }) => {
        const type = request.headers["content-type"] ?? "";
        if (type.startsWith("application/cloudevents-batch+json")) return "batch";
        if (type.startsWith("application/cloudevents+json")) return "structured";
        return "ce-specversion" in request.headers ? "binary" : "other";
      }),
    );
    expect([...modes].sort()).toEqual(["batch", "binary", "structured"]);
    expect(table.filter((e) => e.expected.status === 400).length).toBeGreaterThan(V03_YAML_FILES.length);
    expect(table.length).toBeGreaterThan(2 * v1YamlCases().length);
  });

  for (const entry of table) {
    it(`${entry.title}: the Worker answers ${entry.expected.status}, as the Node app does`, async () => {
      const node = testGateway();
      const nodeResponse = await node.post(entry.request);
      const mark = eventLines().length;
      const response = await worker!.dispatchFetch("http://gateway/events", {
        method: "POST",
        headers: entry.request.headers,
        body: entry.request.body,
      });
      expect(response.status, await response.clone().text()).toBe(entry.expected.status);
      expect(nodeResponse.status).toBe(entry.expected.status);

      if (entry.expected.status === 400) {
        const problem = await workerProblem(response);
        expect(problem.errors).toContainEqual(expect.objectContaining(entry.expected.error));
        expect(problemSummary(problem)).toEqual(problemSummary(await problemOf(nodeResponse)));
        // Nothing was delivered.
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(eventLines()).toHaveLength(mark);
        return;
      }

      expect(await response.json()).toEqual(await nodeResponse.json());
      const expected = entry.expected.events;
      const written = await eventLinesAfter(mark, expected.length);
      // Byte for byte what the Node app's stdout target writes for the events it accepted.
      expect(written).toEqual(node.received().map((event) => text(toJsonLine(event))?.trimEnd()));
      for (const [i, attributes] of expected.entries()) {
        if (attributes === undefined) continue;
        const event = decodeLine(written[i] ?? "");
        expect(event && Object.fromEntries(allAttributes(event))).toEqual(attributes);
      }
    });
  }
});
