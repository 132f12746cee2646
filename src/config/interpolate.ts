/**
 * `${env:NAME}`, `${env:NAME:-default}` and `${file:PATH}` in config strings.
 * `$${` writes a literal `${`. Pure: the environment and the file reader are
 * passed in.
 */

export interface InterpolationSources {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Reads a secret file; throws when it cannot. Absent: `${file:...}` is an error. */
  readonly readFile?: (path: string) => string;
}

export type InterpolationResult =
  | { readonly ok: true; readonly value: string; readonly changed: boolean }
  | { readonly ok: false; readonly message: string };

const REFERENCE = /\$\$\{|\$\{([^}]*)\}/g;

function resolve(reference: string, sources: InterpolationSources): { value: string } | { error: string } {
  const env = /^env:([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s.exec(reference);
  if (env) {
    const [, name = "", fallback] = env;
    const value = sources.env[name];
    if (value !== undefined && value !== "") return { value };
    if (fallback !== undefined) return { value: fallback };
    return { error: `environment variable ${name} is ${value === "" ? "empty" : "not set"}` };
  }
  const file = /^file:(.+)$/s.exec(reference);
  if (file) {
    const path = file[1] ?? "";
    if (sources.readFile === undefined) return { error: `cannot read ${path}: no file access here` };
    try {
      // Secret files usually end with a newline that is not part of the secret.
      return { value: sources.readFile(path).replace(/\r?\n$/, "") };
    } catch (error) {
      return { error: `cannot read secret file ${path}: ${error instanceof Error ? error.message : error}` };
    }
  }
  return {
    error: `unknown reference \${${reference}} (use \${env:NAME}, \${env:NAME:-default} or \${file:PATH})`,
  };
}

export function interpolate(text: string, sources: InterpolationSources): InterpolationResult {
  if (!text.includes("${")) return { ok: true, value: text, changed: false };
  let failure: string | undefined;
  const value = text.replace(REFERENCE, (match, reference: string | undefined) => {
    if (match === "$${") return "${";
    const resolved = resolve(reference ?? "", sources);
    if ("error" in resolved) {
      failure ??= resolved.error;
      return match;
    }
    return resolved.value;
  });
  if (failure === undefined && /(?<!\$)\$\{[^}]*$/.test(text))
    failure = 'unterminated reference: "${" without its "}"';
  return failure === undefined ? { ok: true, value, changed: true } : { ok: false, message: failure };
}
