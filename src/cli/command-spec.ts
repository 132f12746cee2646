/**
 * One description per command: its name, its help text and the options its
 * parser accepts. The parser and `--help` read the same object, and a test
 * checks that every option appears in the help, so the two cannot drift.
 */
import { type ParseArgsConfig, parseArgs } from "node:util";
import { CliExit } from "./config-file.js";

export type CommandOptions = NonNullable<ParseArgsConfig["options"]>;

export interface CommandSpec<O extends CommandOptions = CommandOptions> {
  /** The words after `ce-gateway`: `["schemas", "check"]`. */
  readonly name: readonly string[];
  /** The help text `--help` prints; names every option. */
  readonly usage: string;
  readonly options: O;
  /** Whether the command takes arguments besides options (files, URLs). */
  readonly positionals: boolean;
}

export function defineCommand<const O extends CommandOptions>(spec: CommandSpec<O>): CommandSpec<O> {
  return spec;
}

/** Prints the usage and ends the command with exit 0 when `--help` or `-h` is among the arguments. */
export function helpRequested(spec: CommandSpec, args: readonly string[]): void {
  if (!args.includes("--help") && !args.includes("-h")) return;
  process.stdout.write(`${spec.usage}\n`);
  throw new CliExit(0, "");
}

/** `ce-gateway schemas --help`: a command group's usage, exit 0. */
export function groupHelp(usage: string, sub: string | undefined): void {
  if (sub !== "--help" && sub !== "-h") return;
  process.stdout.write(`${usage}\n`);
  throw new CliExit(0, "");
}

/** Parses the arguments strictly by the spec (usage errors exit 2), after answering `--help`. */
export function parseCommand<const O extends CommandOptions>(spec: CommandSpec<O>, args: string[]) {
  helpRequested(spec, args);
  const parsed = parseArgs({ args, options: spec.options, allowPositionals: true, strict: true });
  if (!spec.positionals && parsed.positionals.length > 0)
    throw new CliExit(2, `unexpected argument "${parsed.positionals[0]}"\n${spec.usage}`);
  return parsed;
}
