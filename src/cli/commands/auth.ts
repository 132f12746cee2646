/**
 * `ce-gateway auth hash`: the SHA-256 an `auth.apiKeys[].sha256` entry holds.
 * The key is read from stdin (never from the command line, where the shell's
 * history and the process list would keep it); `--generate` makes a new one.
 */
import { createHash, randomBytes } from "node:crypto";
import { defineCommand, groupHelp, parseCommand } from "../command-spec.js";
import { CliExit } from "../config-file.js";

export const authHashSpec = defineCommand({
  name: ["auth", "hash"],
  usage: `usage: ce-gateway auth hash [--generate]
  Reads an API key from stdin (one trailing newline dropped) and prints its SHA-256, the value
  auth.apiKeys[].sha256 holds.
  --generate   make a random key instead and print it ("key: ...") and its hash ("sha256: ...")`,
  options: { generate: { type: "boolean" } },
  positionals: false,
});
const USAGE = authHashSpec.usage;
/** 32 random bytes: as hard to guess as the hash is long. */
const GENERATED_KEY_BYTES = 32;

const sha256Hex = (key: string): string => createHash("sha256").update(key, "utf8").digest("hex");

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function authCommand(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  groupHelp(USAGE, sub);
  if (sub !== "hash") throw new CliExit(2, USAGE);
  const { values } = parseCommand(authHashSpec, rest);
  if (values.generate === true) {
    const key = randomBytes(GENERATED_KEY_BYTES).toString("base64url");
    process.stdout.write(`key: ${key}\nsha256: ${sha256Hex(key)}\n`);
    process.stderr.write("Give the key to the client; put only the sha256 in auth.apiKeys.\n");
    return;
  }
  if (process.stdin.isTTY) process.stderr.write("Type the key, then Ctrl-D:\n");
  // One trailing newline (from echo or a file) is not part of the key.
  const key = (await readStdin()).replace(/\r?\n$/, "");
  if (key === "") throw new CliExit(1, "no key on stdin");
  process.stdout.write(`${sha256Hex(key)}\n`);
}
