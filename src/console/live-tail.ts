/**
 * The console's live tail: an Observer that turns the pipeline's reports into
 * tail messages (an event with its verdict and matched routes, then each
 * target's delivery result) and fans them out to subscribers. While nobody
 * watches, a report costs one comparison: nothing is kept or serialized. The
 * last messages seen while someone watched stay in a small ring, so a page
 * opened (or reloaded) a moment later starts with them.
 */
import type { PublishOutcome } from "../adapter/adapter.js";
import { decodeUtf8 } from "../codec/utf8.js";
import type { CloudEvent } from "../event/cloud-event.js";
import { toJsonFormat } from "../event/json-format.js";
import type { GatewayReport, Observer } from "../observe/observer.js";
import type { RoutingTable } from "../route/routing-table.js";
import type { ContractVerdict } from "../validate/event-validator.js";

/** Larger events show their attributes only: the tail is for looking, not for copying payloads. */
export const MAX_SHOWN_EVENT_BYTES = 32 * 1024;
const RING_SIZE = 200;
/** Requests whose deliveries are still awaited; the oldest is forgotten first. */
const MAX_PENDING_REQUESTS = 1_000;

export type TailMessage =
  | {
      readonly kind: "event";
      readonly requestId: string;
      readonly index: number;
      readonly at: string;
      readonly id: string;
      readonly type: string;
      readonly source: string;
      /** The event in the JSON format, or its attributes only when larger than MAX_SHOWN_EVENT_BYTES. */
      readonly event: unknown;
      readonly dataOmittedBytes?: number;
      readonly verdict: {
        readonly schema?: string;
        readonly warnings: readonly { readonly pointer?: string; readonly detail: string }[];
      };
      readonly routes: readonly string[];
      readonly targets: readonly string[];
    }
  | {
      readonly kind: "delivery";
      readonly requestId: string;
      readonly index?: number;
      readonly eventId: string;
      readonly target: string;
      readonly status: PublishOutcome["status"];
      readonly attempts: number;
      readonly durationMs: number;
      readonly error?: string;
    }
  | {
      readonly kind: "dead-letter";
      readonly requestId: string;
      readonly index?: number;
      readonly eventId: string;
      readonly target: string;
      readonly deadLetter: string;
      readonly status: PublishOutcome["status"];
    }
  | {
      readonly kind: "rejected";
      readonly requestId: string;
      readonly at: string;
      readonly status: number;
      readonly code: string;
      readonly detail: string;
      readonly failures: readonly { readonly pointer?: string; readonly detail: string }[];
    };

/** One message and, for an event message, the event it shows (what a subscriber's filter looks at). */
export interface TailItem {
  readonly message: TailMessage;
  readonly event?: CloudEvent;
  /** Its place in this tail's sequence (from 1): a reconnecting viewer skips what it has seen. */
  readonly seq?: number;
}

export type TailListener = (item: TailItem) => void;

function verdictOf(verdict: ContractVerdict | undefined): Extract<TailMessage, { kind: "event" }>["verdict"] {
  return {
    ...(verdict?.schema !== undefined && { schema: verdict.schema }),
    warnings: (verdict?.warnings ?? []).map((w) => ({
      ...(w.pointer !== undefined && { pointer: w.pointer }),
      detail: w.detail,
    })),
  };
}

function shownEvent(event: CloudEvent): { event: unknown; dataOmittedBytes?: number } {
  const json = toJsonFormat(event);
  const text = json.length <= MAX_SHOWN_EVENT_BYTES ? decodeUtf8(json) : undefined;
  if (text !== undefined) return { event: JSON.parse(text) };
  return { event: { ...event.attributes }, dataOmittedBytes: event.data?.bytes.length ?? 0 };
}

const errorOf = (outcome: PublishOutcome) => (outcome.status === "acked" ? undefined : outcome.reason);

export class LiveTail implements Observer {
  readonly #listeners = new Map<TailListener, () => void>();
  readonly #ring: TailItem[] = [];
  /** requestId -> (target, event id) -> index of the event in its request. */
  readonly #pending = new Map<string, Map<string, number>>();
  readonly #routing: () => RoutingTable;
  readonly #now: () => number;
  #seq = 0;
  /** Names this tail's sequence: after a restart the numbers start again, under a new epoch. */
  readonly epoch = crypto.randomUUID();

  /** `routing` is the current generation's table: matched routes are looked up when an event is shown. */
  constructor(routing: () => RoutingTable, now: () => number = Date.now) {
    this.#routing = routing;
    this.#now = now;
  }

  get watching(): number {
    return this.#listeners.size;
  }

  /** The ring's items, oldest first. */
  recent(): readonly TailItem[] {
    return [...this.#ring];
  }

  /** Starts hearing every new item; returns the function that stops it. `onEnd` hears `end()`. */
  subscribe(listener: TailListener, onEnd: () => void = () => {}): () => void {
    this.#listeners.set(listener, onEnd);
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.#pending.clear();
    };
  }

  /** Ends every subscription (the listener is shutting down: open streams must not hold it up). */
  end(): void {
    const ends = [...this.#listeners.values()];
    this.#listeners.clear();
    this.#pending.clear();
    for (const onEnd of ends) onEnd();
  }

  report(report: GatewayReport): void {
    if (this.#listeners.size === 0) return;
    for (const item of this.#itemsOf(report)) this.#publish(item);
  }

  #publish(unnumbered: TailItem): void {
    const item = { ...unnumbered, seq: ++this.#seq };
    this.#ring.push(item);
    if (this.#ring.length > RING_SIZE) this.#ring.shift();
    for (const listener of this.#listeners.keys()) {
      try {
        listener(item);
      } catch {
        // A subscriber that throws only loses its own message.
      }
    }
  }

  #indexOf(requestId: string, target: string, eventId: string): number | undefined {
    return this.#pending.get(requestId)?.get(`${target}\u0000${eventId}`);
  }

  #itemsOf(report: GatewayReport): TailItem[] {
    switch (report.stage) {
      case "routed":
        return this.#routedItems(report);
      case "delivered": {
        const requestId = report.ctx.requestId;
        const index = this.#indexOf(requestId, report.target, report.eventId);
        const error = errorOf(report.outcome);
        return [
          {
            message: {
              kind: "delivery",
              requestId,
              ...(index !== undefined && { index }),
              eventId: report.eventId,
              target: report.target,
              status: report.outcome.status,
              attempts: report.attempts,
              durationMs: report.durationMs,
              ...(error !== undefined && { error }),
            },
          },
        ];
      }
      case "dead-lettered": {
        const requestId = report.ctx.requestId;
        const index = this.#indexOf(requestId, report.target, report.eventId);
        return [
          {
            message: {
              kind: "dead-letter",
              requestId,
              ...(index !== undefined && { index }),
              eventId: report.eventId,
              target: report.target,
              deadLetter: report.deadLetter.target,
              status: report.deadLetter.outcome.status,
            },
          },
        ];
      }
      case "rejected":
        if (report.ctx === undefined) return [];
        return [
          {
            message: {
              kind: "rejected",
              requestId: report.ctx.requestId,
              at: new Date(this.#now()).toISOString(),
              status: report.status,
              code: report.code,
              detail: report.detail,
              failures: report.failures.map((f) => ({
                ...(f.pointer !== undefined && { pointer: f.pointer }),
                detail: f.detail,
              })),
            },
          },
        ];
      case "delivery-failed":
      case "client-gone":
        this.#pending.delete(report.ctx.requestId);
        return [];
      default:
        return [];
    }
  }

  #routedItems(report: Extract<GatewayReport, { stage: "routed" }>): TailItem[] {
    const events = report.events ?? [];
    const requestId = report.ctx.requestId;
    const byDelivery = new Map<string, number>();
    const targetsOf = events.map((): string[] => []);
    for (const d of report.deliveries) {
      const index = d.eventIndex ?? events.findIndex((e) => e.attributes.id === d.eventId);
      if (index < 0) continue;
      byDelivery.set(`${d.target}\u0000${d.eventId}`, index);
      targetsOf[index]?.push(d.target);
    }
    if (byDelivery.size > 0) {
      this.#pending.set(requestId, byDelivery);
      if (this.#pending.size > MAX_PENDING_REQUESTS) {
        this.#pending.delete(this.#pending.keys().next().value as string);
      }
    }
    const routing = this.#routing();
    const at = new Date(this.#now()).toISOString();
    return events.map((event, index) => {
      const { id, type, source } = event.attributes;
      return {
        event,
        message: {
          kind: "event",
          requestId,
          index,
          at,
          id,
          type,
          source,
          ...shownEvent(event),
          verdict: verdictOf(report.verdicts?.[index]),
          routes: routing.index.matching(event).map((route) => route.name),
          targets: targetsOf[index] ?? [],
        },
      };
    });
  }
}
