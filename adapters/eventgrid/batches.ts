/**
 * Packs events into Event Grid requests under its limits without ever
 * splitting an event: topics take up to 5,000 events and 1 MB per request,
 * namespaces 1,000 events and 1 MB; an event over 1 MB is refused, naming the limit.
 */
// An event travels inside a JSON array, so the largest event is the request limit less the brackets.
export const LIMITS = {
  topic: { maxEvents: 5_000, maxBytes: 1_048_576, maxEventBytes: 1_048_574 },
  namespace: { maxEvents: 1_000, maxBytes: 1_048_576, maxEventBytes: 1_048_574 },
} as const;

export type Limits = (typeof LIMITS)[keyof typeof LIMITS];

/** Index lists of events per request; `sizes` are the events' JSON sizes in bytes. */
export function packBatches(sizes: readonly number[], limits: Limits): number[][] {
  const batches: number[][] = [];
  let current: number[] = [];
  let bytes = 2; // the array's brackets
  sizes.forEach((size, index) => {
    const added = size + (current.length > 0 ? 1 : 0);
    if (current.length > 0 && (current.length >= limits.maxEvents || bytes + added > limits.maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 2;
    }
    bytes += size + (current.length > 0 ? 1 : 0);
    current.push(index);
  });
  if (current.length > 0) batches.push(current);
  return batches;
}
