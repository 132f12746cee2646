/**
 * The one hook every stage reports to. Logs use it now; metrics, traces and
 * the console's live tail subscribe to the same reports later.
 */
import type { PublishOutcome } from "../adapter/adapter.js";
import type { RequestContext } from "../context/request-context.js";
import type { FieldFailure } from "../errors/errors.js";
import type { ProblemCode } from "../errors/problem-types.js";
import type { CloudEvent } from "../event/cloud-event.js";
import type { ContractVerdict } from "../validate/event-validator.js";

export type GatewayReport =
  | {
      readonly stage: "received";
      readonly ctx: RequestContext;
      readonly mode: string;
      readonly count: number;
    }
  | {
      /** The request was refused before delivery (4xx), or the gateway failed (500). */
      readonly stage: "rejected";
      readonly ctx: RequestContext | undefined;
      readonly status: number;
      readonly code: ProblemCode;
      readonly detail: string;
      readonly failures: readonly FieldFailure[];
      /** Failures found beyond those in `failures`. */
      readonly failuresOmitted: number;
    }
  | {
      /** An event broke its data contract in warn mode: accepted, and reported here. */
      readonly stage: "contract-warning";
      readonly ctx: RequestContext;
      readonly eventId: string;
      readonly type: string;
      readonly schema: string | undefined;
      readonly failures: readonly FieldFailure[];
    }
  | {
      readonly stage: "routed";
      readonly ctx: RequestContext;
      /** The request's events, normalized, as received (metrics count the routes they match; the console shows them). */
      readonly events?: readonly CloudEvent[];
      readonly deliveries: readonly {
        readonly eventId: string;
        readonly target: string;
        /** Which of `events` it delivers (a transform may have renamed its id). */
        readonly eventIndex?: number;
      }[];
      /** Each event's schema verdict, in the order of `events`. */
      readonly verdicts?: readonly ContractVerdict[];
    }
  | {
      /** The request is answered 2xx: its `count` events were taken by their targets (or the outbox). */
      readonly stage: "accepted";
      readonly ctx: RequestContext;
      readonly count: number;
    }
  | {
      readonly stage: "delivered";
      readonly ctx: RequestContext;
      readonly target: string;
      readonly eventId: string;
      readonly source: string;
      readonly outcome: PublishOutcome;
      readonly durationMs: number;
      /** Attempts made (retries included); 0 when the target's guard refused at once. */
      readonly attempts: number;
      /**
       * The retries among the attempts this report is about; absent: every
       * attempt but the first. An outbox record's `attempts` count its whole
       * life, while each dispatch reports only its own attempt.
       */
      readonly retries?: number;
    }
  | {
      /** The dedup store could not be read (the events were delivered in full) or written (a repeat may be delivered again). */
      readonly stage: "dedup-unavailable";
      readonly ctx: RequestContext;
      readonly operation: "lookup" | "record";
      readonly error: unknown;
    }
  | {
      /** A target refused the event for good; it went to the route's dead letter, which answered `deadLetter.outcome`. */
      readonly stage: "dead-lettered";
      readonly ctx: RequestContext;
      readonly target: string;
      readonly eventId: string;
      readonly source: string;
      readonly deadLetter: { readonly target: string; readonly outcome: PublishOutcome };
    }
  | {
      /** A target did not take every event: the request is answered 502 or 503. */
      readonly stage: "delivery-failed";
      readonly ctx: RequestContext;
      readonly status: number;
      readonly code: ProblemCode;
      /** Each (event, target) pair that was not acked. */
      readonly deliveries: readonly FailedDelivery[];
    }
  | {
      /**
       * The client went away before delivery finished: no target failed, and
       * nobody is left to answer (a load generator stopping, a producer's
       * timeout). One report, not one per pair.
       */
      readonly stage: "client-gone";
      readonly ctx: RequestContext;
      /** The (event, target) pairs whose outcome the client will not hear. */
      readonly unconfirmed: number;
    }
  | {
      /**
       * A target refused an event accepted into the outbox for good, and its
       * record names no dead letter: the record is removed, and this report
       * is what is left of the event.
       */
      readonly stage: "outbox-refused";
      readonly ctx: RequestContext;
      readonly target: string;
      readonly recordId: string;
      readonly eventId: string;
      readonly source: string;
      readonly outcome: PublishOutcome & { readonly status: "terminal" };
      /** Attempts made over the record's life. */
      readonly attempts: number;
    }
  | {
      /**
       * An outbox record's event bytes do not decode: a bug where it was
       * written. The record is removed so it cannot block its ordering key.
       */
      readonly stage: "outbox-undecodable";
      readonly ctx: RequestContext;
      readonly target: string;
      readonly recordId: string;
      readonly reason: string;
    }
  | {
      /** The outbox store failed an operation; the dispatcher goes on with its next poll. */
      readonly stage: "outbox-unavailable";
      readonly operation: "claim" | "complete" | "reschedule";
      /** The records concerned (none for a claim). */
      readonly recordIds: readonly string[];
      readonly error: unknown;
    };

export interface FailedDelivery {
  readonly target: string;
  readonly eventId: string;
  readonly source: string;
  readonly outcome: Exclude<PublishOutcome, { readonly status: "acked" }>;
}

export interface Observer {
  report(report: GatewayReport): void;
}

export const silentObserver: Observer = { report() {} };

/** Sends every report to several observers; one throwing does not stop the others or the request. */
export function combineObservers(...observers: Observer[]): Observer {
  return {
    report(report) {
      for (const observer of observers) {
        try {
          observer.report(report);
        } catch {
          // An observer must never break the pipeline.
        }
      }
    },
  };
}
