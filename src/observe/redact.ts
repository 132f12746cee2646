/**
 * Keeps secrets out of everything the gateway writes or answers: logs,
 * problem bodies, `/status`, route explanations, config dumps and config
 * errors. Two nets, because neither catches everything alone:
 * - by name: a value under a secret-sounding key (`token`, `clientSecret`,
 *   `Authorization`, `aeg-sas-key`, ...) or in a secret query parameter
 *   (`access_token`, `sig`, ...), and the password of a URL, are replaced
 *   wherever they appear;
 * - by value: every secret the config holds (after interpolation) is known,
 *   so the same value echoed anywhere else (an SDK's error message, a target's
 *   last error) is replaced too.
 * Hand-written: the logging libraries' redaction works by fixed paths, and
 * these values also travel inside free text.
 */

export const REDACTED = "[redacted]";

/** Key names (lower case, without `-`, `_`, `.`) whose values are secret. */
const SECRET_NAMES: ReadonlySet<string> = new Set([
  "authorization",
  "proxyauthorization",
  "cookie",
  "setcookie",
  "key",
  "nkey",
  "seed",
  "pass",
  "passwd",
  "pwd",
  "secrets",
  // Sources' lists of keys presented as they are (eventgrid-publish, pubsub-publish).
  "accesskeys",
  "apikeys",
  "creds",
  "credential",
  "credentials",
  "bearer",
  "sig",
  "hmac",
]);

/** Name endings that make a key secret: `sasToken`, `clientSecret`, `aeg-sas-key`, `x-api-key`. */
const SECRET_SUFFIXES = ["token", "secret", "password", "apikey", "saskey", "accesskey", "privatekey"];

/** Query parameters that carry credentials though their names are generic (Azure Functions' `code`). */
const SECRET_QUERY_NAMES: ReadonlySet<string> = new Set(["code", "sv", "se", "sr", "skn"]);

/** Known secrets shorter than this are not replaced by value: they would blank out ordinary words. */
const MIN_KNOWN_SECRET_LENGTH = 6;

function normalized(name: string): string {
  return name.toLowerCase().replace(/[-_.\s]/g, "");
}

/** Whether a key, header or query parameter name holds a secret. */
export function isSecretName(name: string): boolean {
  const n = normalized(name);
  if (n === "") return false;
  if (SECRET_NAMES.has(n) || n.includes("signature")) return true;
  return SECRET_SUFFIXES.some((suffix) => n.endsWith(suffix));
}

function isSecretQueryName(name: string): boolean {
  return isSecretName(name) || SECRET_QUERY_NAMES.has(normalized(name));
}

const QUERY_PARAMETER = /([?&;])([^=&;\s#"'?]+)=([^&;\s#"']*)/g;
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^/\s:@"']*:)([^@/\s"']+)@/gi;
const AUTH_SCHEME = /\b(Bearer|Basic|SharedAccessSignature|token)(\s+)([A-Za-z0-9\-._~+/=%&:]+)/g;

/** A query string (with or without its `?`) with the values of secret parameters replaced. */
export function redactQuery(query: string): string {
  const withMark = query.startsWith("?") ? query : `?${query}`;
  const redacted = withMark.replace(QUERY_PARAMETER, (whole, mark: string, name: string) =>
    isSecretQueryName(name) ? `${mark}${name}=${REDACTED}` : whole,
  );
  return query.startsWith("?") ? redacted : redacted.slice(1);
}

/** Free text with secrets found by their shape removed: URL passwords, secret query values, `Bearer x`. */
export function redactByShape(text: string): string {
  if (!/[?&;@]|Bearer|Basic|SharedAccessSignature|token/.test(text)) return text;
  return text
    .replace(URL_PASSWORD, `$1${REDACTED}@`)
    .replace(QUERY_PARAMETER, (whole, mark: string, name: string) =>
      isSecretQueryName(name) ? `${mark}${name}=${REDACTED}` : whole,
    )
    .replace(AUTH_SCHEME, (whole, scheme: string, space: string, value: string) =>
      // "token" alone is a common word: only a long, word-like value after it is taken for a credential.
      scheme === "token" && value.length < 16 ? whole : `${scheme}${space}${REDACTED}`,
    );
}

/** The secrets a string in a secret position may hold: itself, and the credential after an auth scheme. */
function secretsIn(value: string): string[] {
  const found = [value];
  const last = value.trim().split(/\s+/).at(-1);
  if (last !== undefined && last !== value) found.push(last);
  return found;
}

/**
 * Replaces secrets by name, by shape and by value. One per gateway: it
 * learns the secrets of every config loaded (a reload adds, never forgets:
 * a secret rotated out must not start to appear in logs either).
 */
export class SecretRedactor {
  readonly #known = new Set<string>();
  /** Longest first, so a secret that contains another is replaced whole. */
  #ordered: string[] = [];

  /** Learns the secret values a config (or any object) holds. */
  learn(config: unknown): this {
    const collect = (value: unknown, secret: boolean): void => {
      if (typeof value === "string") {
        if (secret) for (const s of secretsIn(value)) this.add(s);
        for (const match of value.matchAll(URL_PASSWORD)) {
          this.add(match[2] as string);
          this.add(decodeSafely(match[2] as string));
        }
        for (const match of value.matchAll(QUERY_PARAMETER)) {
          if (!isSecretQueryName(match[2] as string)) continue;
          this.add(match[3] as string);
          this.add(decodeSafely(match[3] as string));
        }
      } else if (Array.isArray(value)) {
        for (const item of value) collect(item, secret);
      } else if (typeof value === "object" && value !== null) {
        for (const [key, item] of Object.entries(value)) collect(item, isSecretName(key));
      }
    };
    collect(config, false);
    return this;
  }

  /** Adds one secret value. */
  add(secret: string): void {
    if (secret.length < MIN_KNOWN_SECRET_LENGTH || this.#known.has(secret)) return;
    this.#known.add(secret);
    this.#ordered = [...this.#known].sort((a, b) => b.length - a.length);
  }

  /** Text with every known secret, and every secret found by its shape, replaced. */
  text(text: string): string {
    let result = text;
    for (const secret of this.#ordered)
      if (result.includes(secret)) result = result.replaceAll(secret, REDACTED);
    return redactByShape(result);
  }

  /**
   * A deep copy with secrets replaced: values under secret names whole,
   * strings elsewhere by `text`. Errors become `{ type, message, stack }`.
   */
  value<T>(input: T): T {
    return this.#copy(input, 0) as T;
  }

  #copy(input: unknown, depth: number): unknown {
    if (typeof input === "string") return this.text(input);
    if (typeof input !== "object" || input === null) return input;
    // Log lines and configs are shallow; a cycle or a pathological depth is cut, not followed.
    if (depth > 32) return REDACTED;
    if (Array.isArray(input)) return input.map((item) => this.#copy(item, depth + 1));
    if (input instanceof Error) {
      return {
        type: input.name,
        message: this.text(input.message),
        ...(input.stack === undefined ? {} : { stack: this.text(input.stack) }),
      };
    }
    const copy: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(input)) {
      copy[key] = isSecretName(key) && value !== undefined ? REDACTED : this.#copy(value, depth + 1);
    }
    return copy;
  }
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
