/**
 * An observer that writes structured logs through any pino-shaped logger
 * (passed in: the core does not choose a logging library or an output).
 */
import type { GatewayReport, Observer } from "./observer.js";

export interface Logger {
  debug(object: object, message: string): void;
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

function describe(report: GatewayReport): [level: keyof Logger, object: object, message: string] {
  switch (report.stage) {
    case "received":
      return [
        "debug",
        { requestId: report.ctx.requestId, mode: report.mode, count: report.count },
        "received",
      ];
    case "rejected":
      return [
        report.status >= 500 ? "warn" : "info",
        {
          requestId: report.ctx?.requestId,
          status: report.status,
          code: report.code,
          errors: report.failures,
        },
        report.detail,
      ];
    case "contract-warning":
      return [
        "warn",
        {
          requestId: report.ctx.requestId,
          id: report.eventId,
          type: report.type,
          schema: report.schema,
          errors: report.failures,
        },
        "event breaks its data contract (warn mode: accepted)",
      ];
    case "routed":
      return ["debug", { requestId: report.ctx.requestId, deliveries: report.deliveries }, "routed"];
    case "delivered": {
      const { outcome } = report;
      const fields = {
        requestId: report.ctx.requestId,
        target: report.target,
        id: report.eventId,
        source: report.source,
        status: outcome.status,
        durationMs: report.durationMs,
        ...(outcome.status === "acked" ? {} : { reason: outcome.reason }),
      };
      return [
        outcome.status === "acked" ? "info" : "warn",
        fields,
        outcome.status === "acked" ? "delivered" : "delivery failed",
      ];
    }
  }
}

export function logObserver(logger: Logger): Observer {
  return {
    report(report) {
      const [level, object, message] = describe(report);
      logger[level](object, message);
    },
  };
}
