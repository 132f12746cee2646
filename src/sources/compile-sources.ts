/**
 * Compiles `ingest.sources` into sources by path, checking what the config
 * schema cannot: expressions compile, paths are distinct and do not take a
 * path the gateway serves itself. Throws one ConfigError listing every problem.
 */
import { ConfigError, type ConfigIssue } from "../config/config-error.js";
import { formatPath } from "../config/config-path.js";
import { describeError } from "../errors/errors.js";
import {
  type Source,
  type SourceCatalog,
  type SourceConfig,
  SourceOptionError,
  sourceTypeOf,
} from "./source.js";
import { compileSourcePath, NO_PATH_PARAMS, type PathParams, type SourcePath } from "./source-path.js";

/** Paths the gateway answers itself. */
export const RESERVED_PATHS: ReadonlySet<string> = new Set(["/events", "/healthz", "/readyz", "/status"]);

export type SourcesByPath = ReadonlyMap<string, Source>;

export const NO_SOURCES: SourcesByPath = new Map();

export function compileSources(
  configs: readonly SourceConfig[] | undefined,
  catalog: SourceCatalog,
): SourcesByPath {
  if (configs === undefined || configs.length === 0) return NO_SOURCES;
  const issues: ConfigIssue[] = [];
  const sources = new Map<string, Source>();
  configs.forEach((config, i) => {
    const at = ["ingest", "sources", i] as const;
    if (RESERVED_PATHS.has(config.path)) {
      issues.push({
        path: formatPath([...at, "path"]),
        message: `${config.path} is the gateway's own; choose another path`,
      });
      return;
    }
    if (sources.has(config.path)) {
      issues.push({
        path: formatPath([...at, "path"]),
        message: `another source already has the path ${config.path}`,
      });
      return;
    }
    try {
      compileSourcePath(config.path);
    } catch (error) {
      issues.push({ path: formatPath([...at, "path"]), message: describeError(error) });
      return;
    }
    const type = sourceTypeOf(catalog, config.type);
    if (type === undefined) {
      issues.push({
        path: formatPath([...at, "type"]),
        message: `unknown source type (known: ${Object.keys(catalog).join(", ")})`,
      });
      return;
    }
    try {
      sources.set(config.path, type.create(config));
    } catch (thrown) {
      const errors = thrown instanceof AggregateError ? thrown.errors : [thrown];
      for (const error of errors) {
        if (error instanceof SourceOptionError)
          issues.push({
            path: formatPath([...at, ...error.path]),
            message: error.message,
            cause: error.detail,
          });
        else issues.push({ path: formatPath([...at]), message: describeError(error), cause: error });
      }
    }
  });
  if (issues.length > 0) throw new ConfigError(issues);
  return sources;
}

/** Which source a request path is for, and the values of its template's parts. */
export type SourceLookup = (
  path: string,
) => { readonly template: string; readonly params: PathParams } | undefined;

/**
 * Finds a request path's source: a literal path first (a map lookup, as
 * before templates existed), then each templated path in config order.
 */
export function sourceLookup(sources: SourcesByPath): SourceLookup {
  const templated: SourcePath[] = [];
  const literal = new Set<string>();
  for (const template of sources.keys()) {
    const compiled = compileSourcePath(template);
    if (compiled.names.length === 0) literal.add(template);
    else templated.push(compiled);
  }
  return (path) => {
    if (literal.has(path)) return { template: path, params: NO_PATH_PARAMS };
    for (const compiled of templated) {
      const params = compiled.match(path);
      if (params !== undefined) return { template: compiled.template, params };
    }
    return undefined;
  };
}
