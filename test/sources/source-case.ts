/**
 * One request of the end-to-end source tests, run on Node and on the Worker
 * alike, and what must come of it.
 */
import { expect } from "vitest";

export interface SourceCase {
  readonly name: string;
  request():
    | { path: string; headers: Record<string, string>; body: string }
    | Promise<{ path: string; headers: Record<string, string>; body: string }>;
  readonly status: number;
  /** Where the receiver gets the event; absent: nothing may be delivered. */
  readonly deliveredTo?: string;
  check?(delivered: Record<string, unknown>[], answer: string): void;
}

/** Accepted (202), and exactly one event delivered to /sources, with these members. */
export function deliveredOnce(
  expected: Record<string, unknown>,
): Pick<SourceCase, "status" | "deliveredTo" | "check"> {
  return {
    status: 202,
    deliveredTo: "/sources",
    check(delivered) {
      expect(delivered).toHaveLength(1);
      expect(delivered[0]).toMatchObject(expected);
    },
  };
}
