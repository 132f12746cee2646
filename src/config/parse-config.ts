/**
 * Parses a config file's text (YAML or JSON) into a GatewayConfig: YAML with
 * unique keys, `${env:...}`/`${file:...}` interpolation, the config JSON
 * Schema, then the checks a schema cannot make (references, duplicate names,
 * CESQL syntax, templates). Every problem is reported, each with its path,
 * line and column. Pure: the environment and file reader are passed in.
 */
import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js";
import { type Document, isMap, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import { type TargetCatalog, targetTypeOf } from "../adapter/catalog.js";
import { jwtConfigIssues } from "../auth/jwt/jwt-config-check.js";
import { describeError } from "../errors/errors.js";
import { FILTER_DIALECTS } from "../filter/filter-config.js";
import { compileCors } from "../http/cors/compile-cors.js";
import { SecretRedactor } from "../observe/redact.js";
import { builtInSources } from "../sources/catalog.js";
import { compileSources } from "../sources/compile-sources.js";
import type { SourceCatalog } from "../sources/source.js";
import { compileRouting } from "./compile-routing.js";
import { ConfigError, type ConfigIssue } from "./config-error.js";
import { formatPath, type PathSegment, parsePath } from "./config-path.js";
import { configSchema } from "./config-schema.js";
import type { GatewayConfig } from "./gateway-config.js";
import { type InterpolationSources, interpolate } from "./interpolate.js";
import { positionOf } from "./yaml-positions.js";

export interface ParseConfigOptions {
  readonly env?: InterpolationSources["env"];
  readonly readFile?: InterpolationSources["readFile"];
  /** The target types the config may name (the entry's catalog). */
  readonly catalog: TargetCatalog;
  /** The source types `ingest.sources` may name (default: the built-in ones). */
  readonly sources?: SourceCatalog;
}

/** YAML 1.2 core-schema integers, floats and booleans; anything else stays a string. */
function typedScalar(text: string): string | number | boolean {
  if (text === "true" || text === "false") return text === "true";
  if (/^[-+]?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$/.test(text)) return Number(text);
  return text;
}

/** Replaces `${...}` references in every string value, in place, recording failures. */
function interpolateDocument(
  document: Document,
  sources: InterpolationSources,
  fail: (path: PathSegment[], message: string) => void,
) {
  const walk = (node: unknown, path: PathSegment[]): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (isScalar(pair.key)) walk(pair.value, [...path, String(pair.key.value)]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        walk(item, [...path, i]);
      });
    } else if (isScalar(node) && typeof node.value === "string") {
      const result = interpolate(node.value, sources);
      if (!result.ok) {
        fail(path, result.message);
        return;
      }
      if (!result.changed) return;
      // An unquoted `port: ${env:PORT}` means the number (or boolean), as if written in place.
      node.value = node.type === "PLAIN" ? typedScalar(result.value) : result.value;
    }
  };
  walk(document.contents, []);
}

function segmentsOf(instancePath: string): PathSegment[] {
  return instancePath
    .split("/")
    .slice(1)
    .map((token) => token.replaceAll("~1", "/").replaceAll("~0", "~"))
    .map((token) => (/^\d+$/.test(token) ? Number(token) : token));
}

/** Turns one schema error into an issue in the user's words; undefined for noise. */
function describe(
  error: ErrorObject,
  catalog: TargetCatalog,
): { segments: PathSegment[]; message: string; atKey: boolean } | undefined {
  const segments = segmentsOf(error.instancePath);
  // Errors inside a $ref carry the referenced schema's path, so tell filters apart by where they stand.
  const inFilter = segments.includes("filters");
  switch (error.keyword) {
    case "if":
      return undefined;
    case "additionalProperties": {
      const key = String(error.params.additionalProperty);
      const message = inFilter
        ? `unknown filter dialect "${key}" (use one of: ${FILTER_DIALECTS.join(", ")})`
        : `unknown key "${key}"`;
      return { segments: [...segments, key], message, atKey: true };
    }
    case "required":
      return { segments, message: `missing required key "${error.params.missingProperty}"`, atKey: false };
    case "minProperties":
    case "maxProperties":
      if (["exact", "prefix", "suffix"].includes(String(segments.at(-1)))) {
        return { segments, message: "needs at least one attribute", atKey: false };
      }
      if (inFilter) {
        return {
          segments,
          message: `a filter has exactly one dialect (${FILTER_DIALECTS.join(", ")})`,
          atKey: false,
        };
      }
      return { segments, message: error.message ?? "invalid", atKey: false };
    case "enum":
      if (segments[0] === "targets" && segments.at(-1) === "type") {
        return {
          segments,
          message: `unknown target type (known: ${Object.keys(catalog).join(", ")})`,
          atKey: false,
        };
      }
      return {
        segments,
        message: `must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`,
        atKey: false,
      };
    case "propertyNames":
      return undefined; // reported by the nested pattern error, which names the key
    case "pattern":
      if (error.propertyName !== undefined) {
        return {
          segments: [...segments, error.propertyName],
          message: `invalid name "${error.propertyName}" (${error.message})`,
          atKey: true,
        };
      }
      return { segments, message: error.message ?? "invalid", atKey: false };
    default:
      return { segments, message: error.message ?? "invalid", atKey: false };
  }
}

/**
 * Moves an issue's column from the start of a one-line string to the spot the
 * expression's own error names (a CESQL parse error carries its line and column).
 */
function pointIntoExpression(
  document: Document,
  segments: PathSegment[],
  issue: ConfigIssue | undefined,
  cause: unknown,
) {
  const where = cause as { line?: unknown; column?: unknown } | undefined;
  if (issue?.column === undefined || where?.line !== 1 || typeof where.column !== "number") return;
  const node = document.getIn(segments, true);
  if (
    !isScalar(node) ||
    (node.type !== "PLAIN" && node.type !== "QUOTE_DOUBLE" && node.type !== "QUOTE_SINGLE")
  )
    return;
  const quote = node.type === "PLAIN" ? 0 : 1;
  Object.assign(issue, { column: issue.column + quote + where.column - 1 });
}

/** Issues may quote a value (an SDK's error, a bad URL): the config's own secrets never leave in one. */
function withoutSecrets(issues: readonly ConfigIssue[], config: unknown): ConfigError {
  const secrets = new SecretRedactor().learn(config);
  return new ConfigError(issues.map((issue) => ({ ...issue, message: secrets.text(issue.message) })));
}

export function parseConfig(text: string, options: ParseConfigOptions): GatewayConfig {
  const { catalog } = options;
  const lineCounter = new LineCounter();
  const document = parseDocument(text, {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
    version: "1.2",
  });
  const issues: ConfigIssue[] = [];
  const add = (segments: readonly PathSegment[], message: string, atKey = false, cause?: unknown) => {
    const position = positionOf(document, lineCounter, segments, atKey);
    issues.push({
      path: formatPath(segments),
      message,
      ...position,
      ...(cause === undefined ? {} : { cause }),
    });
  };

  for (const error of document.errors) {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    issues.push({ path: "", message: error.message.split("\n")[0] ?? error.message, line, column: col });
  }
  if (issues.length > 0) throw new ConfigError(issues);

  interpolateDocument(
    document,
    { env: options.env ?? {}, ...(options.readFile && { readFile: options.readFile }) },
    (path, message) => add(path, message),
  );
  let config: unknown;
  try {
    // Aliases expand at most 100 times: a "billion laughs" file is refused, not expanded.
    config = document.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (error) {
    throw new ConfigError([
      { path: "", message: `cannot read the YAML: ${describeError(error)}`, line: 1, column: 1 },
    ]);
  }

  // inlineRefs: false compiles each $defs entry into one function that every reference calls. Inlined, the
  // sections shared by all source types are generated once per type: a validator several times larger whose
  // compile garbage, promoted to the old generation just before the server starts, keeps per-request objects
  // alive through young collections until the first full GC under load (more CPU and ~35 MB more peak RSS).
  const ajv = new Ajv2020({ allErrors: true, strict: false, inlineRefs: false });
  const sourceCatalog = options.sources ?? builtInSources;
  const validate = ajv.compile(configSchema(catalog, sourceCatalog));
  if (!validate(config)) {
    const seen = new Set<string>();
    for (const error of validate.errors ?? []) {
      const described = describe(error, catalog);
      if (described === undefined) continue;
      const key = `${formatPath(described.segments)}|${described.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      add(described.segments, described.message, described.atKey);
    }
  }
  if (issues.length > 0) throw withoutSecrets(issues, config);

  const typed = config as GatewayConfig;
  const serverPort = typed.server?.port;
  if (typed.admin !== undefined && typed.admin.tokens === undefined && typed.admin.token === undefined) {
    add(["admin"], "needs tokens: [{ id, sha256 }] (ce-gateway auth hash makes the sha256 from a token)");
  }
  const tokenIds = new Set<string>();
  for (const [i, token] of (typed.admin?.tokens ?? []).entries()) {
    if (tokenIds.has(token.id)) add(["admin", "tokens", i, "id"], `duplicate admin token id "${token.id}"`);
    tokenIds.add(token.id);
  }
  if (typed.admin !== undefined && typed.admin.port !== 0 && typed.admin.port === serverPort) {
    add(["admin", "port"], `the admin listener cannot share the ingest port ${serverPort}`);
  }
  for (const issue of jwtConfigIssues(typed.auth?.jwt)) add(["auth", "jwt", ...issue.path], issue.message);
  for (const [name, target] of Object.entries(typed.targets ?? {})) {
    for (const refusal of targetTypeOf(catalog, target.type)?.refuse?.(target) ?? [])
      add(["targets", name, ...refusal.path], refusal.message, refusal.path.length > 0);
  }
  const compilers = [
    () => compileRouting(typed, new Set(Object.keys(typed.targets ?? {})), catalog),
    () => compileSources(typed.ingest?.sources, sourceCatalog),
    () => compileCors(typed),
  ];
  for (const compile of compilers) {
    try {
      compile();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      for (const issue of error.issues) {
        const segments = parsePath(issue.path);
        add(segments, issue.message, false, issue.cause);
        pointIntoExpression(document, segments, issues.at(-1), issue.cause);
      }
    }
  }
  if (issues.length > 0) throw withoutSecrets(issues, config);
  return typed;
}
