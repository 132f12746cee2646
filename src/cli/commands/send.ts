/**
 * `ce-gateway send URL --type T --source S [...]`: emits test events to a
 * gateway (or any CloudEvents HTTP receiver). One event prints the answer;
 * `--count N` sends N with `--concurrency C` requests in flight, shows
 * progress on a terminal and prints one summary line. Exit 1 when any event
 * was refused or could not be sent.
 */
import { readFileSync } from "node:fs";
import { describeError } from "../../errors/errors.js";
import { defineCommand, parseCommand } from "../command-spec.js";
import { CliExit } from "../config-file.js";
import { startProgress } from "../progress.js";
import { type EventTemplate, eventRequest, type SendMode } from "./send-events.js";

export const sendSpec = defineCommand({
  name: ["send"],
  usage: `usage: ce-gateway send URL --type T --source S [options]
  Sends CloudEvents over HTTP to URL (a gateway's http://127.0.0.1:8080/events), each with a new id.
  --type T            the events' type (required)
  --source S          the events' source (required)
  --id ID             use this id for every event instead of a new UUID each
  --data @FILE|TEXT   the data: a file's contents (@file.json) or the text itself; JSON when it parses
  --mode M            binary (default: ce-* headers), structured (one JSON event) or batch (JSON arrays)
  --count N           send N events (default 1): progress on a terminal, then one summary line
  --concurrency C     requests in flight at once (default 1)
  --batch-size B      events per request in batch mode (default 10)
  --header NAME:VALUE add a header to every request (repeatable: authorization, x-api-key, ...)
  Exit 1 when any event was refused (not 2xx) or could not be sent.`,
  options: {
    type: { type: "string" },
    source: { type: "string" },
    id: { type: "string" },
    data: { type: "string" },
    mode: { type: "string", default: "binary" },
    count: { type: "string", default: "1" },
    concurrency: { type: "string", default: "1" },
    "batch-size": { type: "string", default: "10" },
    header: { type: "string", multiple: true, default: [] },
  },
  positionals: true,
});

function positiveInteger(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new CliExit(2, `${flag} must be a positive integer, got "${value}"`);
  return n;
}

function readData(value: string | undefined): string | undefined {
  if (value === undefined || !value.startsWith("@")) return value;
  try {
    return readFileSync(value.slice(1), "utf8");
  } catch (error) {
    throw new CliExit(2, `--data ${value}: ${describeError(error)}`);
  }
}

function extraHeaders(values: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const header of values) {
    const colon = header.indexOf(":");
    if (colon < 1) throw new CliExit(2, `--header must be NAME:VALUE, got "${header}"`);
    headers[header.slice(0, colon).trim().toLowerCase()] = header.slice(colon + 1).trim();
  }
  return headers;
}

/** The value below which `fraction` of the sorted values lie (nearest rank). */
function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? 0;
}

interface Tally {
  sent: number;
  accepted: number;
  refused: number;
  failed: number;
  readonly statuses: Map<number, number>;
  readonly latencies: number[];
  firstProblem?: string;
}

export function summaryLine(tally: Tally, seconds: number): string {
  const sorted = [...tally.latencies].sort((a, b) => a - b);
  const statuses = [...tally.statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`);
  const rate = seconds > 0 ? tally.sent / seconds : 0;
  return (
    `sent ${tally.sent} event(s): ${tally.accepted} accepted, ${tally.refused} refused, ${tally.failed} failed; ` +
    `requests by status: ${statuses.join(" ") || "none"}; ${rate.toFixed(1)} events/s; ` +
    `latency p50 ${percentile(sorted, 0.5).toFixed(1)} ms, p99 ${percentile(sorted, 0.99).toFixed(1)} ms`
  );
}

export async function sendCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseCommand(sendSpec, args);
  const [url, ...extra] = positionals;
  if (url === undefined || extra.length > 0 || values.type === undefined || values.source === undefined)
    throw new CliExit(2, sendSpec.usage);
  if (!URL.canParse(url)) throw new CliExit(2, `not a URL: "${url}"`);
  const mode = values.mode as SendMode;
  if (!["binary", "structured", "batch"].includes(mode))
    throw new CliExit(2, `--mode must be binary, structured or batch, got "${values.mode}"`);
  const count = positiveInteger(values.count, "--count");
  const concurrency = positiveInteger(values.concurrency, "--concurrency");
  const batchSize = mode === "batch" ? positiveInteger(values["batch-size"], "--batch-size") : 1;
  const headers = extraHeaders(values.header);
  const template: EventTemplate = {
    type: values.type,
    source: values.source,
    ...(values.id !== undefined && { id: values.id }),
    ...(values.data !== undefined && { data: readData(values.data) }),
  };

  const tally: Tally = { sent: 0, accepted: 0, refused: 0, failed: 0, statuses: new Map(), latencies: [] };
  const single = count === 1;
  const progress = single ? undefined : startProgress("sending", count);
  let queued = 0;
  let lastAnswer = "";
  const sendOne = async (): Promise<void> => {
    const events = Math.min(batchSize, count - queued);
    queued += events;
    const request = eventRequest(mode, template, events);
    const started = performance.now();
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { ...request.headers, ...headers },
        body: request.body,
      });
      const text = await response.text();
      tally.latencies.push(performance.now() - started);
      tally.statuses.set(response.status, (tally.statuses.get(response.status) ?? 0) + 1);
      if (response.ok) tally.accepted += events;
      else {
        tally.refused += events;
        tally.firstProblem ??= `${response.status} ${text.slice(0, 500)}`;
      }
      lastAnswer = `${response.status} ${response.statusText}${text ? `\n${text}` : ""}`;
    } catch (error) {
      tally.failed += events;
      tally.firstProblem ??= `cannot send to ${url}: ${describeError(error)}`;
      lastAnswer = tally.firstProblem;
    }
    tally.sent += events;
    progress?.advance(
      events,
      tally.refused + tally.failed > 0 ? `${tally.refused + tally.failed} not accepted` : "",
    );
  };
  const started = performance.now();
  const worker = async () => {
    while (queued < count) await sendOne();
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  progress?.stop();

  if (single) process.stdout.write(`${lastAnswer}\n`);
  else {
    process.stdout.write(`${summaryLine(tally, (performance.now() - started) / 1000)}\n`);
    if (tally.firstProblem !== undefined) process.stderr.write(`first refusal: ${tally.firstProblem}\n`);
  }
  if (tally.refused + tally.failed > 0) process.exitCode = 1;
}
