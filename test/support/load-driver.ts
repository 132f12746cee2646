/**
 * A small load driver for fault tests: sends CloudEvents (binary mode) to a
 * running gateway over real HTTP (the global fetch, undici) and records what
 * each request was answered: status, latency, Retry-After and body. Closed
 * loop (N workers, each sending its next event once the last is answered) or
 * open loop (a fixed rate, whatever the answers take: the latency of a slow
 * answer is not hidden by fewer requests being sent meanwhile).
 */

export interface LoadEvent {
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly data?: string;
}

export interface Sent {
  readonly id: string;
  readonly source: string;
  /** The HTTP status, or 0 when the request failed without an answer. */
  readonly status: number;
  readonly startedAt: number;
  readonly latencyMs: number;
  readonly retryAfter: string | null;
  readonly body: string;
}

export async function postEvent(url: string, event: LoadEvent): Promise<Sent> {
  const startedAt = Date.now();
  const began = performance.now();
  try {
    const response = await fetch(`${url}/events`, {
      method: "POST",
      headers: {
        "ce-specversion": "1.0",
        "ce-id": event.id,
        "ce-source": event.source,
        "ce-type": event.type,
        "content-type": "application/json",
      },
      body: event.data ?? JSON.stringify({ id: event.id }),
    });
    const body = await response.text();
    return {
      id: event.id,
      source: event.source,
      status: response.status,
      startedAt,
      latencyMs: performance.now() - began,
      retryAfter: response.headers.get("retry-after"),
      body,
    };
  } catch (error) {
    return {
      id: event.id,
      source: event.source,
      status: 0,
      startedAt,
      latencyMs: performance.now() - began,
      retryAfter: null,
      body: String(error),
    };
  }
}

export interface ClosedLoad {
  readonly url: string;
  readonly concurrency: number;
  /** Stop starting requests after this long (ms from the start)… */
  readonly durationMs?: number;
  /** …or after this many requests, whichever comes first. */
  readonly count?: number;
  /** The i-th event sent (i counts from 0 across all workers). */
  readonly eventFor: (i: number) => LoadEvent;
}

/** Closed loop: `concurrency` workers each send one event at a time until the duration or count is reached. */
export async function closedLoad(load: ClosedLoad): Promise<Sent[]> {
  const results: Sent[] = [];
  const until = load.durationMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + load.durationMs;
  const count = load.count ?? Number.POSITIVE_INFINITY;
  let next = 0;
  const worker = async () => {
    while (Date.now() < until && next < count) {
      const i = next++;
      results.push(await postEvent(load.url, load.eventFor(i)));
    }
  };
  await Promise.all(Array.from({ length: load.concurrency }, worker));
  return results;
}

export interface OpenLoad {
  readonly url: string;
  readonly ratePerSecond: number;
  readonly count: number;
  /** Stop starting requests once this says so, even before `count`. */
  readonly stopWhen?: () => boolean;
  readonly eventFor: (i: number) => LoadEvent;
}

/** Open loop: one request every 1/rate seconds, started on schedule whether or not earlier ones were answered. */
export async function openLoad(load: OpenLoad): Promise<Sent[]> {
  const periodMs = 1000 / load.ratePerSecond;
  const start = performance.now();
  const pending: Promise<Sent>[] = [];
  for (let i = 0; i < load.count; i++) {
    const wait = start + i * periodMs - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (load.stopWhen?.() === true) break;
    pending.push(postEvent(load.url, load.eventFor(i)));
  }
  return Promise.all(pending);
}

/** How many answers had each status, e.g. { 202: 980, 503: 20 }. */
export function statusCounts(results: readonly Sent[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}

/** The p-th percentile (0..100) of the latencies, nearest rank. */
export function percentile(results: readonly Sent[], p: number): number {
  const sorted = results.map((r) => r.latencyMs).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

/** One line of counts, `name: key=value ...`, printed so a run can be read back from the test output. */
export function reportCounts(name: string, counts: Record<string, number | string>): string {
  const line = `${name}: ${Object.entries(counts)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ")}`;
  console.log(line);
  return line;
}
