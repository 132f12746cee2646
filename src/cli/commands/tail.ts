/**
 * `ce-gateway tail --nats URL --subject S [--json] [--count N]`: prints the
 * CloudEvents arriving on NATS subjects, readably (or one JSON event per line).
 */
import { parseArgs } from "node:util";
import { decodeNatsMessage } from "../../bindings/nats/decode.js";
import { describeError, isGatewayError } from "../../errors/errors.js";
import { allAttributes, type CloudEvent } from "../../event/cloud-event.js";
import { toJsonLine } from "../../event/json-format.js";
import { CliExit } from "../config-file.js";

const decoder = new TextDecoder();

function describeData(event: CloudEvent): string {
  const data = event.data;
  if (data === undefined) return "(no data)";
  if (data.encoding === "binary") return `(${data.bytes.length} bytes of binary data)`;
  const text = data.text() ?? "";
  return text.length > 2000 ? `${text.slice(0, 2000)}… (${data.bytes.length} bytes)` : text;
}

export function formatEvent(event: CloudEvent, subject: string): string {
  const { type, id, source } = event.attributes;
  const others = [...allAttributes(event)]
    .filter(([name]) => !["specversion", "type", "id", "source"].includes(name))
    .map(([name, value]) => `${name}=${JSON.stringify(value)}`);
  return [
    `● ${type}  id=${id}  source=${source}  on ${subject}`,
    ...(others.length ? [`  ${others.join("  ")}`] : []),
    `  ${describeData(event)}`,
  ].join("\n");
}

export async function tailCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      nats: { type: "string", default: "nats://127.0.0.1:4222" },
      subject: { type: "string", default: ">" },
      json: { type: "boolean", default: false },
      count: { type: "string" },
    },
    strict: true,
  });
  const limit = values.count === undefined ? Number.POSITIVE_INFINITY : Number(values.count);
  if (!(limit > 0)) throw new CliExit(2, "--count must be a positive number");
  const { connect } = await import("@nats-io/transport-node");
  let nc: Awaited<ReturnType<typeof connect>>;
  try {
    nc = await connect({ servers: values.nats, name: "ce-gateway tail" });
  } catch (error) {
    throw new CliExit(1, `cannot connect to ${values.nats}: ${describeError(error)}`);
  }
  const subscription = nc.subscribe(values.subject, { max: Number.isFinite(limit) ? limit : undefined });
  process.once("SIGINT", () => void nc.drain());
  process.stderr.write(`tailing ${values.subject} on ${values.nats}\n`);
  for await (const message of subscription) {
    try {
      const event = decodeNatsMessage(message.headers ? [...message.headers] : [], message.data);
      process.stdout.write(
        values.json ? `${decoder.decode(toJsonLine(event))}\n` : `${formatEvent(event, message.subject)}\n`,
      );
    } catch (error) {
      const reason = isGatewayError(error)
        ? error.failures.map((f) => f.detail).join("; ") || error.message
        : describeError(error);
      process.stdout.write(`✗ not a CloudEvent on ${message.subject}: ${reason}\n`);
    }
  }
  await nc.close();
}
