/**
 * Configuration errors: every problem found, each with its path in the
 * config (`routes[2].to[0]`) and, when known, its line and column.
 */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
  /** The underlying error (a CESQL parse error carries its position in the expression). */
  readonly cause?: unknown;
}

export class ConfigError extends Error {
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(issues.map(formatIssue).join("\n"));
    this.name = "ConfigError";
  }
}

export function formatIssue(issue: ConfigIssue): string {
  const at = issue.line === undefined ? "" : `${issue.line}:${issue.column ?? 1}: `;
  return `${at}${issue.path === "" ? "" : `${issue.path}: `}${issue.message}`;
}
