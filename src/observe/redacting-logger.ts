/**
 * A logger that redacts every line before it reaches the real one: the
 * fields and the message. Entries wrap their logger in it once, so no line
 * (request logs, audit lines, reload failures) can leave unredacted.
 */
import type { Logger, LogLevel } from "./log-observer.js";
import type { SecretRedactor } from "./redact.js";

export function redactingLogger<L extends Logger>(logger: L, redactor: SecretRedactor): L {
  const wrap =
    (level: LogLevel | "error") =>
    (object: object, message: string): void => {
      // A line the level drops is not redacted either: redaction copies every field, and at
      // LOG_LEVEL=warn that was per-request work (and garbage) for lines nobody writes.
      if (logger.isLevelEnabled?.(level as LogLevel) === false) return;
      const write = (logger as unknown as Record<string, (o: object, m: string) => void>)[level];
      write?.call(logger, redactor.value(object), redactor.text(message));
    };
  const wrapped: Logger & { error?: (object: object, message: string) => void } = {
    debug: wrap("debug"),
    info: wrap("info"),
    warn: wrap("warn"),
    ...("error" in logger ? { error: wrap("error") } : {}),
    ...(logger.isLevelEnabled && {
      isLevelEnabled: (level: LogLevel) => logger.isLevelEnabled?.(level) ?? true,
    }),
  };
  return wrapped as L;
}
