/**
 * The requests the end-to-end test sends to every runtime, and what each must
 * become: one config with a source of every type, delivering to an HTTP receiver.
 */
import { expect } from "vitest";

export const SOURCES_CONFIG = `version: 1
targets:
  hook: { type: http, url: "\${env:HOOK_URL}/sources", mode: structured }
routes:
  - name: all
    to: [hook]
ingest:
  sources:
    - path: /hooks/orders
      type: json
      event:
        type: "'com.example.order.created'"
        source: "'/shop'"
        id: "body.orderId"
        subject: "body.customer.id"
`;

export const sourceSettings = (hookUrl: string): Record<string, string> => ({ HOOK_URL: hookUrl });

export interface SourceCase {
  readonly name: string;
  request(): { path: string; headers: Record<string, string>; body: string };
  readonly status: number;
  /** Where the receiver gets the event; absent: nothing may be delivered. */
  readonly deliveredTo?: string;
  check?(delivered: Record<string, unknown>[], answer: string): void;
}

const ORDER = '{"orderId": 1001, "customer": {"id": "c-7"}, "total": 12.50}';

export const SOURCE_CASES: readonly SourceCase[] = [
  {
    name: "json: a plain JSON order becomes a CloudEvent with its data byte for byte",
    request: () => ({ path: "/hooks/orders", headers: { "content-type": "application/json" }, body: ORDER }),
    status: 202,
    deliveredTo: "/sources",
    check(delivered) {
      expect(delivered).toHaveLength(1);
      expect(delivered[0]).toMatchObject({
        specversion: "1.0",
        id: "1001",
        type: "com.example.order.created",
        source: "/shop",
        subject: "c-7",
        datacontenttype: "application/json",
        data: { orderId: 1001, total: 12.5 },
      });
    },
  },
  {
    name: "json: a mapping that yields nothing for a required attribute is a 400 naming it",
    request: () => ({ path: "/hooks/orders", headers: { "content-type": "application/json" }, body: "{}" }),
    status: 400,
    check(_delivered, answer) {
      expect(JSON.parse(answer)).toMatchObject({ code: "unmappable-request", errors: [{ pointer: "/id" }] });
    },
  },
];
