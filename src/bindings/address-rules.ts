/**
 * Checks of expanded addresses shared by targets: what no broker address may
 * hold, and NATS subject rules.
 */

/** Empty, or holding whitespace or control characters. */
export function addressCharacterViolation(address: string): string | undefined {
  if (address === "") return "is empty";
  // One regex pass on the hot path: whitespace (Unicode spaces included) and control characters.
  const bad = /[\s\p{Cc}]/u.exec(address);
  return bad === null ? undefined : `contains ${JSON.stringify(bad[0])} at position ${bad.index}`;
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
