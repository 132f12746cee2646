/**
 * `ce-gateway tail --nats URL --subject S [--json] [--count N]`: prints the
 * CloudEvents arriving on NATS subjects, readably (or one JSON event per line).
 * `--pubsub projects/P/subscriptions/S` reads a Pub/Sub subscription instead,
 * `--gateway ADMIN_URL` a running gateway's own live stream.
 */
import { decodeNatsMessage } from "../../bindings/nats/decode.js";
import { describeError, isGatewayError } from "../../errors/errors.js";
import { allAttributes, type CloudEvent } from "../../event/cloud-event.js";
import { toJsonLine } from "../../event/json-format.js";
import { defineCommand, parseCommand } from "../command-spec.js";
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

export const tailSpec = defineCommand({
  name: ["tail"],
  usage: `usage: ce-gateway tail [--nats URL] [--subject S] [--json] [--count N]
       ce-gateway tail --pubsub projects/P/subscriptions/S [--json] [--count N]
       ce-gateway tail --gateway ADMIN_URL [--token T] [--type P] [--source P] [--sql E] [--json] [--count N]
  Prints the CloudEvents arriving on NATS, on a Pub/Sub subscription, or passing through a gateway.
  --nats URL      the NATS server (default nats://127.0.0.1:4222)
  --subject S     the subjects to watch (default >, every subject)
  --pubsub NAME   read this Pub/Sub subscription instead (acknowledging what it prints); credentials
                  are Application Default Credentials, or none with PUBSUB_EMULATOR_HOST (an emulator)
  --gateway URL   read a running gateway's live stream from its admin listener instead: each event,
                  its deliveries and each refused request (the console's tail, /console/stream)
  --token T       the admin token for --gateway (default: the ADMIN_TOKEN variable)
  --type P        with --gateway: only events whose type starts with P
  --source P      with --gateway: only events whose source starts with P
  --sql E         with --gateway: only events the CESQL expression E matches
  --json          one JSON-format event per line
  --count N       exit after N events`,
  options: {
    nats: { type: "string", default: "nats://127.0.0.1:4222" },
    subject: { type: "string", default: ">" },
    pubsub: { type: "string" },
    gateway: { type: "string" },
    token: { type: "string" },
    type: { type: "string" },
    source: { type: "string" },
    sql: { type: "string" },
    json: { type: "boolean", default: false },
    count: { type: "string" },
  },
  positionals: false,
});

/** One event (or the reason a message is none) as tail prints it. */
export function printMessage(decode: () => CloudEvent, where: string, json: boolean): void {
  try {
    const event = decode();
    process.stdout.write(json ? `${decoder.decode(toJsonLine(event))}\n` : `${formatEvent(event, where)}\n`);
  } catch (error) {
    const reason = isGatewayError(error)
      ? error.failures.map((f) => f.detail).join("; ") || error.message
      : describeError(error);
    process.stdout.write(`✗ not a CloudEvent on ${where}: ${reason}\n`);
  }
}

export async function tailCommand(args: string[]): Promise<void> {
  const { values } = parseCommand(tailSpec, args);
  const limit = values.count === undefined ? Number.POSITIVE_INFINITY : Number(values.count);
  if (!(limit > 0)) throw new CliExit(2, "--count must be a positive number");
  if (values.gateway !== undefined) {
    return (await import("./tail-gateway.js")).tailGateway({
      url: values.gateway,
      token: values.token ?? process.env.ADMIN_TOKEN,
      ...(values.type !== undefined && { type: values.type }),
      ...(values.source !== undefined && { source: values.source }),
      ...(values.sql !== undefined && { sql: values.sql }),
      json: values.json,
      limit,
    });
  }
  if (values.pubsub !== undefined)
    return (await import("./tail-pubsub.js")).tailPubsub(values.pubsub, limit, values.json);
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
    printMessage(
      () => decodeNatsMessage(message.headers ? [...message.headers] : [], message.data),
      message.subject,
      values.json,
    );
  }
  await nc.close();
}
