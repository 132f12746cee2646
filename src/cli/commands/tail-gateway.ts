/**
 * `ce-gateway tail --gateway ADMIN_URL`: prints what passes through a running
 * gateway, read from its admin listener's live stream (`/console/stream`,
 * server-sent events, the admin token as a bearer token): each accepted
 * event as `tail` prints one, each delivery's outcome under it, and each
 * refused request. `--type`, `--source` and `--sql` filter on the gateway's
 * side, as the console's tail does. Only what passes from now is shown.
 */
import { decodeRecordEvent } from "../../deliver/outbox/decode-record.js";
import { describeError } from "../../errors/errors.js";
import { CliExit } from "../config-file.js";
import { formatEvent } from "./tail.js";

export interface GatewayTailOptions {
  readonly url: string;
  readonly token: string | undefined;
  readonly type?: string;
  readonly source?: string;
  readonly sql?: string;
  readonly json: boolean;
  readonly limit: number;
}

interface StreamEvent {
  readonly event: string;
  readonly data: string;
}

/** Server-sent events from a byte stream: `event:` and `data:` fields up to each blank line. */
async function* serverSentEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<StreamEvent> {
  const decoder = new TextDecoder();
  let buffered = "";
  let event = "message";
  let data: string[] = [];
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffered += decoder.decode(value, { stream: true });
    let newline = buffered.indexOf("\n");
    while (newline !== -1) {
      const line = buffered.slice(0, newline).replace(/\r$/, "");
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf("\n");
      if (line === "") {
        if (data.length > 0) yield { event, data: data.join("\n") };
        event = "message";
        data = [];
      } else if (line.startsWith("event:")) event = line.slice(6).trim();
      else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
    }
  }
}

const encoder = new TextEncoder();

/** One stream message as tail prints it; undefined for what it does not print (ready, heartbeats). */
function lineOf(message: StreamEvent, json: boolean): string | undefined {
  const body = JSON.parse(message.data) as Record<string, unknown>;
  switch (message.event) {
    case "event": {
      const bytes = encoder.encode(JSON.stringify(body.event));
      if (json) return new TextDecoder().decode(bytes);
      const decoded = decodeRecordEvent(bytes);
      const routes = (body.routes as string[] | undefined)?.join(", ") || "no route";
      const shown = decoded.ok ? formatEvent(decoded.event, `routes ${routes}`) : `✗ ${decoded.reason}`;
      return body.dataOmittedBytes === undefined
        ? shown
        : `${shown}\n  (data of ${body.dataOmittedBytes} bytes not shown)`;
    }
    case "delivery":
      if (json) return undefined;
      return `  → ${body.target}: ${body.status}, ${body.attempts} attempt(s), ${body.durationMs} ms${
        body.error === undefined ? "" : `: ${body.error}`
      }`;
    case "dead-letter":
      return json ? undefined : `  ↳ ${body.target} refused it: sent to dead letter ${body.deadLetter}`;
    case "rejected":
      return json
        ? undefined
        : `✗ request ${body.requestId} refused ${body.status} ${body.code}: ${body.detail}`;
    case "dropped":
      return `… ${body.count} message(s) dropped: this terminal reads slower than events pass`;
    default:
      return undefined;
  }
}

export async function tailGateway(options: GatewayTailOptions): Promise<void> {
  if (options.token === undefined || options.token === "")
    throw new CliExit(2, "tail --gateway needs the admin token: --token or ADMIN_TOKEN");
  const url = new URL("/console/stream", options.url);
  url.searchParams.set("recent", "0");
  for (const name of ["type", "source", "sql"] as const) {
    const value = options[name];
    if (value !== undefined) url.searchParams.set(name, value);
  }
  const controller = new AbortController();
  process.once("SIGINT", () => controller.abort());
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { authorization: `Bearer ${options.token}`, accept: "text/event-stream" },
      signal: controller.signal,
    });
  } catch (error) {
    throw new CliExit(1, `cannot reach ${options.url}: ${describeError(error)}`);
  }
  if (!response.ok || response.body === null) {
    const problem = (await response.text()).slice(0, 500);
    throw new CliExit(1, `${url.origin} answered ${response.status}: ${problem}`);
  }
  process.stderr.write(`tailing the gateway at ${url.origin}\n`);
  let events = 0;
  try {
    for await (const message of serverSentEvents(response.body)) {
      const line = lineOf(message, options.json);
      if (line !== undefined) process.stdout.write(`${line}\n`);
      if (message.event === "event" && ++events >= options.limit) break;
    }
  } catch (error) {
    if (!controller.signal.aborted) throw new CliExit(1, `the stream ended: ${describeError(error)}`);
  } finally {
    controller.abort();
  }
}
