/**
 * The audit trail of admin writes: one line per POST/PUT/PATCH/DELETE on the
 * admin listener (reload, registry writes), naming who did it (the token's
 * id, never the token), what, and how it ended. Written at info, through the
 * same logger as every other line, so it lands wherever the logs go.
 */
import type { Logger } from "./log-observer.js";

export interface AuditEntry {
  /** The admin token's id. */
  readonly principal: string;
  readonly method: string;
  readonly path: string;
  /** The query string with secret parameters redacted; empty when there is none. */
  readonly query: string;
  /** What was acted on: the path below the admin root, e.g. `reload` or `subjects/orders`. */
  readonly resource: string;
  readonly status: number;
}

export type AuditSink = (entry: AuditEntry) => void;

const WRITE_METHODS: ReadonlySet<string> = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function isAdminWrite(method: string): boolean {
  return WRITE_METHODS.has(method.toUpperCase());
}

export function auditLog(logger: Logger): AuditSink {
  return (entry) => logger.info({ audit: true, ...entry }, "admin write");
}
