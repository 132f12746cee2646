/**
 * Writes batches of frames at the end of the active segment, with one append
 * and one fsync each, and starts a new segment once the active one has grown
 * past its size. A segment's first frame records the next id, so ids keep
 * increasing even when every older segment has been deleted.
 */
import { encodeFrame } from "./log-frames.js";
import type { OutboxFs } from "./outbox-fs.js";
import { type LogTail, segmentName } from "./recover-log.js";

export class SegmentWriter {
  readonly #fs: OutboxFs;
  readonly #segmentBytes: number;
  readonly #nextId: () => number;
  #active: number;
  #size: number;

  constructor(fs: OutboxFs, tail: LogTail, segmentBytes: number, nextId: () => number) {
    this.#fs = fs;
    this.#segmentBytes = segmentBytes;
    this.#nextId = nextId;
    this.#active = tail.segment;
    this.#size = tail.size;
  }

  get active(): number {
    return this.#active;
  }

  /** Appends the frames durably; resolves with the segment they went to. */
  async write(frames: readonly Uint8Array[], onNewSegment: (segment: number) => void): Promise<number> {
    if (this.#size >= this.#segmentBytes) {
      await this.#fs.create(segmentName(this.#active + 1));
      this.#active++;
      this.#size = 0;
      onNewSegment(this.#active);
    }
    const parts =
      this.#size === 0 ? [encodeFrame([{ kind: "segment", nextId: this.#nextId() }]), ...frames] : frames;
    const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
    let at = 0;
    for (const part of parts) {
      bytes.set(part, at);
      at += part.length;
    }
    const name = segmentName(this.#active);
    this.#size += bytes.length;
    await this.#fs.append(name, bytes);
    await this.#fs.fsync(name);
    return this.#active;
  }

  async delete(segment: number): Promise<void> {
    await this.#fs.unlink(segmentName(segment));
  }
}
