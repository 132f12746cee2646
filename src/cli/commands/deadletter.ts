/**
 * `ce-gateway deadletter replay --config FILE --from TARGET [--limit N] [--json]`:
 * re-drives the dead letters a target holds to the targets that refused them,
 * through the config's routes, and prints what became of them. Exit 1 when
 * some were kept (still failing), so a script can tell.
 */
import { ConfigError } from "../../config/config-error.js";
import {
  DEFAULT_REPLAY_LIMIT,
  type ReplayReport,
  replayDeadLetters,
} from "../../deliver/dead-letter/replay.js";
import { MemoryOutboxStore } from "../../deliver/outbox/memory-outbox-store.js";
import { createGateway } from "../../entries/node/create-gateway.js";
import { isGatewayError } from "../../errors/errors.js";
import { SecretRedactor } from "../../observe/redact.js";
import { defineCommand, groupHelp, parseCommand } from "../command-spec.js";
import { CliExit, formatConfigError, loadConfigFile } from "../config-file.js";
import { startProgress } from "../progress.js";

export const deadletterReplaySpec = defineCommand({
  name: ["deadletter", "replay"],
  usage: `usage: ce-gateway deadletter replay --config FILE --from TARGET [--limit N] [--json]
  Sends the dead letters TARGET holds (a memory or JetStream nats target) again, through the routes,
  to the targets that refused them; removes those delivered. Exit 1 if any were kept.
  --config FILE     the serving gateway's config
  --from TARGET     the dead-letter target to read
  --limit N         at most N dead letters, oldest first (default ${DEFAULT_REPLAY_LIMIT})
  --json            the report as JSON`,
  options: {
    config: { type: "string" },
    from: { type: "string" },
    limit: { type: "string" },
    json: { type: "boolean", default: false },
  },
  positionals: false,
});
const USAGE = deadletterReplaySpec.usage;

function formatReport(report: ReplayReport): string {
  const lines = [
    `${report.from}: ${report.listed} dead letter(s) read; ${report.delivered} delivered, ${report.deadLetteredAgain} refused again (new dead letter), ${report.kept} kept`,
    ...report.failures.map(
      (f) =>
        `  kept ${f.source} ${f.id} (position ${f.position}${f.target ? `, for ${f.target}` : ""}): ${f.reason}`,
    ),
  ];
  return `${lines.join("\n")}\n`;
}

export async function deadletterCommand(args: string[]): Promise<void> {
  const [action, ...rest] = args;
  groupHelp(USAGE, action);
  if (action !== "replay") throw new CliExit(2, USAGE);
  const { values } = parseCommand(deadletterReplaySpec, rest);
  if (values.config === undefined || values.from === undefined) throw new CliExit(2, USAGE);
  const limit = values.limit === undefined ? DEFAULT_REPLAY_LIMIT : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1)
    throw new CliExit(2, `--limit must be a positive integer\n${USAGE}`);

  const secrets = new SecretRedactor();
  let gateway: ReturnType<typeof createGateway> | undefined;
  try {
    const config = loadConfigFile(values.config);
    // Replay delivers synchronously; the outbox belongs to the serving gateway, so this one gets a
    // throwaway one (a second writer on the same log would corrupt it), which nothing is appended to.
    gateway = createGateway(config, {
      secrets,
      ...(config.delivery?.outbox && { outbox: new MemoryOutboxStore() }),
    });
    const progress = startProgress("replaying", limit);
    const report = await replayDeadLetters(gateway.state, values.from, limit, undefined, (done, total) =>
      progress.update(done, total),
    );
    progress.stop();
    process.stdout.write(
      secrets.text(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report)),
    );
    if (report.kept > 0) process.exitCode = 1;
  } catch (error) {
    if (error instanceof ConfigError) throw new CliExit(1, formatConfigError(values.config, error));
    if (isGatewayError(error)) throw new CliExit(1, secrets.text(`${error.message}`));
    throw error;
  } finally {
    await gateway?.close();
  }
}
