/**
 * Opening the log: every segment is read in order and replayed. A crash can
 * only leave the segment being written with a torn end (the writer syncs a
 * segment fully before it starts the next), so the last segment is cut back
 * to its last whole frame; damage anywhere else is a corrupt disk, and the
 * store refuses to open rather than silently lose or revive records.
 */
import { decodeSegment } from "./log-frames.js";
import type { OutboxFs } from "./outbox-fs.js";
import type { OutboxState } from "./outbox-state.js";

export class OutboxLogCorruptError extends Error {
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`The outbox segment ${file} is corrupt at offset ${offset}: ${reason}`);
    this.name = "OutboxLogCorruptError";
  }
}

/** Where writing continues: the last segment and the length it was cut to. */
export interface LogTail {
  readonly segment: number;
  readonly size: number;
}

const SEGMENT_NAME = /^(\d+)\.log$/;

export const segmentName = (segment: number) => `${String(segment).padStart(10, "0")}.log`;

export async function recoverLog(fs: OutboxFs, state: OutboxState): Promise<LogTail> {
  const segments = (await fs.list())
    .map((name) => SEGMENT_NAME.exec(name)?.[1])
    .filter((seq) => seq !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  if (segments.length === 0) {
    await fs.create(segmentName(1));
    state.ledger.add(1);
    return { segment: 1, size: 0 };
  }
  let size = 0;
  for (const [index, segment] of segments.entries()) {
    const name = segmentName(segment);
    const decoded = decodeSegment(await fs.readAll(name));
    const last = index === segments.length - 1;
    if (decoded.damage !== undefined && !last) {
      throw new OutboxLogCorruptError(name, decoded.damage.offset, decoded.damage.reason);
    }
    state.ledger.add(segment);
    for (const batch of decoded.batches) for (const entry of batch) state.apply(entry, segment);
    if (decoded.damage !== undefined) await fs.truncate(name, decoded.validLength);
    size = decoded.validLength;
  }
  return { segment: segments.at(-1)!, size };
}
