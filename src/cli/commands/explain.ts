/**
 * `ce-gateway routes explain [--config FILE] EVENT.json [--json]`: which
 * routes an event matches and where it would go, without sending it. With
 * `--source PATH --body FILE [--header K:V ...]`, a raw request to a source
 * instead (explain-source.ts).
 */
import { readFileSync } from "node:fs";
import { decodeHttpEvents } from "../../bindings/http/decode.js";
import { compileRouting } from "../../config/compile-routing.js";
import { ConfigError } from "../../config/config-error.js";
import { EMBEDDED_DEFAULT_CONFIG } from "../../config/gateway-config.js";
import { nodeTargets } from "../../entries/node/targets.js";
import { isGatewayError } from "../../errors/errors.js";
import { toProblemBody } from "../../errors/problem-response.js";
import { SecretRedactor } from "../../observe/redact.js";
import { explainRouting, formatExplanation, type RoutingExplanation } from "../../route/explain.js";
import { defineCommand, groupHelp, parseCommand } from "../command-spec.js";
import { CliExit, formatConfigError, loadConfigFile } from "../config-file.js";
import { explainSourceRequest } from "./explain-source.js";

const USAGE = [
  "usage: ce-gateway routes explain [--config FILE] EVENT.json [--json]",
  "       ce-gateway routes explain --config FILE --source PATH --body FILE [--header NAME:VALUE ...] [--query Q] [--json]",
].join("\n");

/**
 * Output and errors leave redacted: the config's secrets, and the secret
 * headers and query parameters given on the command line.
 */
export async function explainCommand(args: string[]): Promise<void> {
  const secrets = new SecretRedactor();
  try {
    await explain(args, secrets);
  } catch (error) {
    if (error instanceof CliExit) throw new CliExit(error.code, secrets.text(error.message));
    throw error;
  }
}

export const routesExplainSpec = defineCommand({
  name: ["routes", "explain"],
  usage: `usage: ce-gateway routes explain [--config FILE] EVENT.json [--json]
       ce-gateway routes explain --config FILE --source PATH --body FILE [--header NAME:VALUE ...] [--query Q]
  Shows which routes an event (one event or a batch, JSON format) matches and where it would go; with
  --source, the CloudEvents a raw request to that source becomes, and where they go.
  --config FILE          the config (default: the embedded one)
  --json                 the explanation as JSON
  --source PATH          a source's path (/hooks/github): explain a raw request to it
  --body FILE            the raw request's body
  --header NAME:VALUE    one of its headers (repeatable); secret ones are redacted from the output
  --query Q              its query string`,
  options: {
    config: { type: "string" },
    json: { type: "boolean", default: false },
    source: { type: "string" },
    body: { type: "string" },
    header: { type: "string", multiple: true },
    query: { type: "string" },
  },
  positionals: true,
});

function headerMap(headers: readonly string[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const header of headers) {
    const colon = header.indexOf(":");
    if (colon > 0) map[header.slice(0, colon).trim()] = header.slice(colon + 1).trim();
  }
  return map;
}

async function explain(args: string[], secrets: SecretRedactor): Promise<void> {
  groupHelp(routesExplainSpec.usage, args[0]);
  const { values, positionals } = parseCommand(routesExplainSpec, args);
  secrets.learn({ headers: headerMap(values.header ?? []), query: `?${values.query ?? ""}` });
  const [sub, eventFile, ...rest] = positionals;
  const bySource = values.source !== undefined;
  const wellFormed = bySource
    ? sub === "explain" && eventFile === undefined && values.body !== undefined && values.config !== undefined
    : sub === "explain" && eventFile !== undefined && rest.length === 0 && values.body === undefined;
  if (!wellFormed || (eventFile === undefined && !bySource)) throw new CliExit(2, USAGE);
  let config = EMBEDDED_DEFAULT_CONFIG;
  try {
    if (values.config !== undefined) config = loadConfigFile(values.config);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliExit(1, formatConfigError(values.config ?? "", error));
    throw error;
  }
  secrets.learn(config);
  const routing = compileRouting(config, new Set(Object.keys(config.targets ?? {})), nodeTargets);
  if (bySource) {
    const output = await explainSourceRequest(
      config,
      routing,
      {
        path: values.source as string,
        bodyFile: values.body as string,
        headers: values.header ?? [],
        query: values.query,
      },
      values.json,
    );
    process.stdout.write(`${secrets.text(output)}\n`);
    return;
  }
  if (eventFile === undefined) throw new CliExit(2, USAGE);

  // The file holds one event, or a batch, in the JSON format.
  let body: Buffer;
  try {
    body = readFileSync(eventFile);
  } catch (error) {
    throw new CliExit(1, `cannot read ${eventFile}: ${(error as Error).message}`);
  }
  const isBatch = body.toString("utf8").trimStart().startsWith("[");
  const headers = new Headers({
    "content-type": isBatch ? "application/cloudevents-batch+json" : "application/cloudevents+json",
  });
  let explanations: RoutingExplanation[];
  try {
    const events = decodeHttpEvents(headers, new Uint8Array(body));
    explanations = await Promise.all(events.map((event) => explainRouting(event, routing)));
  } catch (error) {
    if (isGatewayError(error)) throw new CliExit(1, JSON.stringify(toProblemBody(error), null, 2));
    throw error;
  }
  const output = values.json
    ? JSON.stringify(explanations.length === 1 && !isBatch ? explanations[0] : explanations, null, 2)
    : explanations.map(formatExplanation).join("\n\n");
  process.stdout.write(`${secrets.text(output)}\n`);
}
