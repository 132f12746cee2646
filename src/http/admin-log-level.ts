/**
 * The log level, read and changed at run time on the admin listener:
 *   GET /log-level            -> {"level": "info", "levels": [...]}
 *   PUT /log-level {"level"}  -> {"level": "debug", "previous": "info"}
 * For chasing a problem in a running gateway without a restart (which would
 * lose the state being chased). The change is audited like every admin write
 * and lasts until the next change or restart; LOG_LEVEL sets it at start.
 */
import { Hono } from "hono";
import { GatewayError } from "../errors/errors.js";
import { problemResponse } from "../errors/problem-response.js";

/** The running logger's level, as the entry that made the logger can change it. */
export interface LogLevelControl {
  /** The levels `set` takes, least to most severe. */
  readonly levels: readonly string[];
  current(): string;
  set(level: string): void;
}

const refused = (detail: string) =>
  problemResponse(
    new GatewayError("malformed-body", 'Send {"level": <level>}', {
      failures: [{ pointer: "/level", code: "invalid-level", detail }],
    }),
  );

export function logLevelApi(control: LogLevelControl): Hono {
  const app = new Hono();
  app.get("/log-level", (c) => c.json({ level: control.current(), levels: control.levels }));
  app.put("/log-level", async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return refused("the body is not JSON");
    }
    const level = (body as { level?: unknown } | null)?.level;
    if (typeof level !== "string" || !control.levels.includes(level))
      return refused(`level must be one of ${control.levels.join(", ")}`);
    const previous = control.current();
    control.set(level);
    return c.json({ level: control.current(), previous });
  });
  return app;
}
