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
