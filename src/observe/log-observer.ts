/**
 * An observer that writes structured logs through any pino-shaped logger
 * (passed in: the core does not choose a logging library or an output).
 *
 * Levels, so that `info` stays quiet at thousands of events per second:
 * - debug: every stage of every request (received, routed, delivered);
 * - info: one line per rejected request (status, problem type, request id),
 *   and one per request whose client went away before delivery finished;
 * - warn: one line per failed delivery (target, outcome, status), one per
 *   dead-lettered event (target, dead letter, its outcome), a gateway
 *   failure (500), an event that breaks its data contract in warn mode, an
 *   outbox record removed without reaching its target (refused for good with
 *   no dead letter, or undecodable) and an outbox store that failed.
 * Every line goes through boundForLog: no client-chosen value is written whole.
 */

import { isSpanContextValid, trace } from "@opentelemetry/api";
import { describeError } from "../errors/errors.js";
import { MAX_LISTED_FAILURES } from "../errors/failure-list.js";
import { problemTypeUri } from "../errors/problem-types.js";
import { boundForLog } from "./log-bounds.js";
import type { GatewayReport, Observer } from "./observer.js";

export type LogLevel = "debug" | "info" | "warn";

export interface Logger {
  debug(object: object, message: string): void;
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  /** When given (pino has it), lines of disabled levels are not even assembled. */
  isLevelEnabled?(level: LogLevel): boolean;
}

type Line = readonly [level: LogLevel, object: object, message: string];

/** Failed deliveries logged one by one per request; the rest are counted in one more line. */
export const MAX_LOGGED_FAILED_DELIVERIES = MAX_LISTED_FAILURES;

/** The level a report is logged at: known before its lines are assembled. */
function levelOf(report: GatewayReport): LogLevel {
  switch (report.stage) {
    case "received":
    case "routed":
    case "accepted":
    case "delivered":
      return "debug";
    case "rejected":
      return report.status >= 500 ? "warn" : "info";
    case "contract-warning":
    case "delivery-failed":
    case "dead-lettered":
    case "dedup-unavailable":
    case "outbox-refused":
    case "outbox-undecodable":
    case "outbox-unavailable":
      return "warn";
    case "client-gone":
      return "info";
  }
}

function linesOf(report: GatewayReport, level: LogLevel): Line[] {
  switch (report.stage) {
    case "received":
      return [
        [level, { requestId: report.ctx.requestId, mode: report.mode, count: report.count }, "received"],
      ];
    case "rejected": {
      const omitted =
        Math.max(0, report.failures.length - MAX_LISTED_FAILURES) + (report.failuresOmitted ?? 0);
      return [
        [
          level,
          {
            requestId: report.ctx?.requestId,
            status: report.status,
            type: problemTypeUri(report.code),
            code: report.code,
            errors: report.failures,
            ...(omitted > 0 ? { errorsOmitted: omitted } : {}),
          },
          `rejected: ${report.detail}`,
        ],
      ];
    }
    case "contract-warning":
      return [
        [
          level,
          {
            requestId: report.ctx.requestId,
            id: report.eventId,
            type: report.type,
            schema: report.schema,
            errors: report.failures,
          },
          "event breaks its data contract (warn mode: accepted)",
        ],
      ];
    case "routed":
      return [[level, { requestId: report.ctx.requestId, deliveries: report.deliveries }, "routed"]];
    case "accepted":
      // No line: received and delivered already tell it at debug; metrics count it.
      return [];
    case "delivered": {
      const { outcome } = report;
      const fields = {
        requestId: report.ctx.requestId,
        target: report.target,
        id: report.eventId,
        source: report.source,
        outcome: outcome.status,
        durationMs: report.durationMs,
        attempts: report.attempts,
        ...(outcome.status === "acked" ? {} : { reason: outcome.reason }),
      };
      return [[level, fields, "delivered"]];
    }
    case "dedup-unavailable":
      return [
        [
          level,
          {
            requestId: report.ctx.requestId,
            operation: report.operation,
            reason: describeError(report.error),
          },
          report.operation === "lookup"
            ? "the dedup store could not be read: events delivered in full"
            : "the dedup store could not be written: a repeat of these events may be delivered again",
        ],
      ];
    case "dead-lettered": {
      const { outcome } = report.deadLetter;
      const fields = {
        requestId: report.ctx.requestId,
        target: report.target,
        id: report.eventId,
        source: report.source,
        deadLetter: report.deadLetter.target,
        outcome: outcome.status,
        ...(outcome.status === "acked" ? {} : { reason: outcome.reason }),
      };
      return [[level, fields, "refused for good: sent to the dead letter"]];
    }
    case "client-gone":
      return [
        [
          level,
          { requestId: report.ctx.requestId, unconfirmed: report.unconfirmed },
          "the client went away before delivery finished",
        ],
      ];
    case "outbox-refused": {
      const { outcome } = report;
      const fields = {
        requestId: report.ctx.requestId,
        target: report.target,
        record: report.recordId,
        id: report.eventId,
        source: report.source,
        attempts: report.attempts,
        ...(outcome.targetStatus !== undefined && { targetStatus: outcome.targetStatus }),
        reason: outcome.reason,
      };
      return [[level, fields, "refused for good with no dead letter: removed from the outbox"]];
    }
    case "outbox-undecodable":
      return [
        [
          level,
          {
            requestId: report.ctx.requestId,
            target: report.target,
            record: report.recordId,
            reason: report.reason,
          },
          "an outbox record does not decode: removed so it cannot block its ordering key",
        ],
      ];
    case "outbox-unavailable":
      return [
        [
          level,
          {
            operation: report.operation,
            records: report.recordIds.slice(0, MAX_LISTED_FAILURES),
            reason: describeError(report.error),
          },
          `the outbox store failed to ${report.operation}`,
        ],
      ];
    case "delivery-failed": {
      const shown = report.deliveries.slice(0, MAX_LOGGED_FAILED_DELIVERIES);
      const lines: Line[] = shown.map(({ target, eventId, source, outcome }) => [
        level,
        {
          requestId: report.ctx.requestId,
          status: report.status,
          type: problemTypeUri(report.code),
          code: report.code,
          target,
          outcome: outcome.status,
          ...(outcome.status === "terminal" && outcome.targetStatus !== undefined
            ? { targetStatus: outcome.targetStatus }
            : {}),
          id: eventId,
          source,
          reason: outcome.reason,
        },
        "delivery failed",
      ]);
      const more = report.deliveries.length - shown.length;
      if (more > 0) {
        lines.push([
          level,
          { requestId: report.ctx.requestId, status: report.status, more },
          `delivery failed for ${more} more (event, target) pair(s), not logged one by one`,
        ]);
      }
      return lines;
    }
  }
}

/**
 * The trace id of the request's span when an OpenTelemetry SDK records it:
 * added to its log lines, so a trace and its lines find each other. Without
 * an SDK the request has no recording span and lines stay as they are.
 */
function traceIdOf(report: GatewayReport): string | undefined {
  const telemetry = "ctx" in report ? report.ctx?.telemetry : undefined;
  if (telemetry === undefined) return undefined;
  const span = trace.getSpanContext(telemetry);
  return span !== undefined && isSpanContextValid(span) ? span.traceId : undefined;
}

export function logObserver(logger: Logger): Observer {
  return {
    report(report) {
      const level = levelOf(report);
      if (logger.isLevelEnabled?.(level) === false) return;
      const traceId = traceIdOf(report);
      for (const [lineLevel, object, message] of linesOf(report, level)) {
        const [fields, text] = boundForLog(traceId === undefined ? object : { ...object, traceId }, message);
        logger[lineLevel](fields, text);
      }
    },
  };
}
