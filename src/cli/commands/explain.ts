/**
 * `ce-gateway routes explain [--config FILE] EVENT.json [--json]`: which
 * routes an event matches and where it would go, without sending it.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { decodeHttpEvents } from "../../bindings/http/decode.js";
import { compileRouting } from "../../config/compile-routing.js";
import { ConfigError } from "../../config/config-error.js";
import { EMBEDDED_DEFAULT_CONFIG } from "../../config/gateway-config.js";
import { nodeTargets } from "../../entries/node/targets.js";
import { isGatewayError } from "../../errors/errors.js";
import { toProblemBody } from "../../errors/problem-response.js";
import { explainRouting, formatExplanation, type RoutingExplanation } from "../../route/explain.js";
import { CliExit, formatConfigError, loadConfigFile } from "../config-file.js";

export async function explainCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: { config: { type: "string" }, json: { type: "boolean", default: false } },
    allowPositionals: true,
    strict: true,
  });
  const [sub, eventFile, ...rest] = positionals;
  if (sub !== "explain" || eventFile === undefined || rest.length > 0) {
    throw new CliExit(2, "usage: ce-gateway routes explain [--config FILE] EVENT.json [--json]");
  }
  let config = EMBEDDED_DEFAULT_CONFIG;
  try {
    if (values.config !== undefined) config = loadConfigFile(values.config);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliExit(1, formatConfigError(values.config ?? "", error));
    throw error;
  }
  const routing = compileRouting(config, new Set(Object.keys(config.targets ?? {})), nodeTargets);

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
  process.stdout.write(`${output}\n`);
}
