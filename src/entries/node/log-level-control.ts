/**
 * The level control of a pino logger (what `serve` logs with): pino applies a
 * new `level` at once, to every line after it. A logger that is not pino
 * (one a library user passed) has none, and the admin listener then offers
 * no /log-level.
 */
import type { LogLevelControl } from "../../http/admin-log-level.js";

const PINO_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;

interface LevelledLogger {
  level: string;
}

function isLevelled(logger: unknown): logger is LevelledLogger {
  return (
    typeof logger === "object" &&
    logger !== null &&
    typeof (logger as { level?: unknown }).level === "string" &&
    typeof (logger as { levels?: { values?: unknown } }).levels?.values === "object"
  );
}

export function pinoLevelControl(logger: unknown): LogLevelControl | undefined {
  if (!isLevelled(logger)) return undefined;
  return {
    levels: PINO_LEVELS,
    current: () => logger.level,
    set: (level) => {
      logger.level = level;
    },
  };
}
