/**
 * Checks of expanded addresses shared by targets: what no broker address may
 * hold, and NATS subject rules.
 */

/** Empty, or holding whitespace or control characters. */
export function addressCharacterViolation(address: string): string | undefined {
  if (address === "") return "is empty";
  const index = [...address].findIndex(
    (c) => /\s/.test(c) || (c.codePointAt(0) ?? 0) < 0x20 || c === "\u007f",
  );
  return index === -1 ? undefined : `contains ${JSON.stringify([...address][index])} at position ${index}`;
}

/**
 * A NATS subject to publish to: dot-separated non-empty tokens, no wildcards
 * (`*`, `>`), no whitespace.
 */
export function natsSubjectViolation(subject: string): string | undefined {
  const characters = addressCharacterViolation(subject);
  if (characters !== undefined) return characters;
  const tokens = subject.split(".");
  const empty = tokens.indexOf("");
  if (empty !== -1) return `has an empty token at position ${empty + 1}`;
  const wildcard = tokens.find((t) => t === "*" || t === ">" || t.includes("*") || t.includes(">"));
  return wildcard === undefined ? undefined : `contains the wildcard token "${wildcard}"`;
}
