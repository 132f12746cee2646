/**
 * One viewer's live tail as server-sent events: a `ready` event, the recent
 * items that pass the viewer's filter, then each new one as it passes. A
 * viewer that reads slower than events pass loses the excess (counted in a
 * `dropped` event) instead of growing a queue without bound. A comment line
 * every HEARTBEAT_MS keeps proxies from closing an idle stream, and ends it
 * once the session is gone.
 */
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { SecretRedactor } from "../observe/redact.js";
import type { LiveTail, TailItem } from "./live-tail.js";
import type { TailFilter } from "./tail-filter.js";

const MAX_QUEUED = 1_000;
const HEARTBEAT_MS = 15_000;

export interface TailStreamOptions {
  readonly tail: LiveTail;
  readonly filter: TailFilter;
  readonly secrets: SecretRedactor;
  /** Whether the viewer's session is still open. */
  readonly signedIn: () => boolean;
  /** Start with the recent items (the tail page); false: only what passes from now (rates on the targets page). */
  readonly backlog: boolean;
}

export function tailStream(c: Context, options: TailStreamOptions): Response {
  const { tail, filter, secrets } = options;
  return streamSSE(c, async (stream) => {
    const queue: TailItem[] = [];
    let dropped = 0;
    let ended = false;
    let wake: () => void = () => {};
    const stop = () => {
      ended = true;
      wake();
    };
    stream.onAbort(stop);
    // The backlog is read and the subscription made in one step: no item is missed or sent twice.
    const backlog = options.backlog ? tail.recent().filter(filter) : [];
    const unsubscribe = tail.subscribe((item) => {
      if (!filter(item)) return;
      if (queue.length >= MAX_QUEUED) dropped++;
      else queue.push(item);
      wake();
    }, stop);
    const send = (item: TailItem) =>
      stream.writeSSE({
        event: item.message.kind,
        data: JSON.stringify({ ...secrets.value(item.message), seq: item.seq }),
        id: String(item.seq),
      });
    try {
      await stream.writeSSE({
        event: "ready",
        data: JSON.stringify({ backlog: backlog.length, epoch: tail.epoch }),
      });
      for (const item of backlog) await send(item);
      while (!ended && !stream.aborted) {
        const item = queue.shift();
        if (item !== undefined) {
          await send(item);
          continue;
        }
        if (dropped > 0) {
          await stream.writeSSE({ event: "dropped", data: JSON.stringify({ count: dropped }) });
          dropped = 0;
          continue;
        }
        const beat = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(true), HEARTBEAT_MS);
          wake = () => {
            clearTimeout(timer);
            resolve(false);
          };
        });
        wake = () => {};
        if (beat) {
          if (!options.signedIn()) break;
          await stream.write(": still here\n\n");
        }
      }
    } finally {
      unsubscribe();
    }
  });
}
