/**
 * Parses a config file's text (YAML or JSON) into a GatewayConfig: YAML with
 * unique keys, `${env:...}`/`${file:...}` interpolation, the config JSON
 * Schema, then the checks a schema cannot make (references, duplicate names,
 * CESQL syntax, templates). Every problem is reported, each with its path,
 * line and column. Pure: the environment and file reader are passed in.
 */
import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js";
import {
  type Document,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  parse as parseYamlScalar,
} from "yaml";
import { BUILTIN_TARGETS, type TargetCatalog } from "../adapter/catalog.js";
import { FILTER_DIALECTS } from "../filter/filter-config.js";
import { compileRouting } from "./compile-routing.js";
import { ConfigError, type ConfigIssue } from "./config-error.js";
import { configSchema } from "./config-schema.js";
import type { GatewayConfig } from "./gateway-config.js";
import { type InterpolationSources, interpolate } from "./interpolate.js";
import { formatPath, type PathSegment, parsePath, positionOf } from "./yaml-positions.js";

export interface ParseConfigOptions {
  readonly env?: InterpolationSources["env"];
  readonly readFile?: InterpolationSources["readFile"];
  readonly catalog?: TargetCatalog;
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
      // An unquoted `port: ${env:PORT}` means the number, as if written in place.
      const typed = node.type === "PLAIN" ? (parseYamlScalar(result.value) as unknown) : result.value;
      node.value = typeof typed === "number" || typeof typed === "boolean" ? typed : result.value;
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
      if (inFilter && segments.at(-2) !== "exact" && segments.at(-2) !== "prefix") {
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

export function parseConfig(text: string, options: ParseConfigOptions = {}): GatewayConfig {
  const catalog = options.catalog ?? BUILTIN_TARGETS;
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
  const config: unknown = document.toJS() ?? {};

  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validate = ajv.compile(configSchema(catalog));
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
  if (issues.length > 0) throw new ConfigError(issues);

  const typed = config as GatewayConfig;
  try {
    compileRouting(typed, new Set(Object.keys(typed.targets ?? {})), catalog);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const issue of error.issues) add(parsePath(issue.path), issue.message, false, issue.cause);
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return typed;
}
