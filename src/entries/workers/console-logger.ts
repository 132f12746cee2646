/**
 * Logs as JSON lines on the console, which is where a Worker's logs go
 * (`wrangler tail`, Workers Logs). Levels as pino numbers them, so lines read
 * the same as the Node entry's.
 */
import type { Logger, LogLevel } from "../../observe/log-observer.js";

const LEVELS: Readonly<Record<LogLevel, number>> = { debug: 20, info: 30, warn: 40 };

export function consoleLogger(level: string | undefined): Logger {
  const threshold =
    (Object.hasOwn(LEVELS, level ?? "") ? LEVELS[level as LogLevel] : undefined) ?? LEVELS.info;
  const write = (name: LogLevel, object: object, message: string) => {
    if (LEVELS[name] < threshold) return;
    // biome-ignore lint/suspicious/noConsole: the console is a Worker's log
    console.log(JSON.stringify({ level: LEVELS[name], time: Date.now(), ...object, msg: message }));
  };
  return {
    debug: (object, message) => write("debug", object, message),
    info: (object, message) => write("info", object, message),
    warn: (object, message) => write("warn", object, message),
    isLevelEnabled: (name) => LEVELS[name] >= threshold,
  };
}
