/**
 * Progress for the long-running commands: on a terminal, one line on stderr
 * redrawn in place (at most ten times a second, so a fast loop is not slowed
 * by drawing); elsewhere (CI logs, pipes) nothing, and the command prints its
 * one-line summary. Hand-written: a redrawn line is a few escape codes, less
 * than what a progress-bar package would add to the install.
 */

export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

export interface Progress {
  /** Counts `n` more items done; `detail` is shown after the count (the latest failure, say). */
  advance(n?: number, detail?: string): void;
  /** Sets how many are done, out of how many (when the total is learnt late). */
  update(done: number, total: number): void;
  /** Clears the line; the command then prints its summary. */
  stop(): void;
}

const REDRAW_EVERY_MS = 100;
const BAR_WIDTH = 24;

export function startProgress(
  label: string,
  initialTotal: number,
  stream: ProgressStream = process.stderr,
  now: () => number = Date.now,
): Progress {
  let done = 0;
  let total = initialTotal;
  let detail = "";
  let drawnAt = Number.NEGATIVE_INFINITY;
  const tty = stream.isTTY === true;
  const draw = (force: boolean) => {
    if (!tty || (!force && now() - drawnAt < REDRAW_EVERY_MS)) return;
    drawnAt = now();
    const filled = total > 0 ? Math.min(BAR_WIDTH, Math.round((done / total) * BAR_WIDTH)) : 0;
    let line = `${label} [${"#".repeat(filled)}${" ".repeat(BAR_WIDTH - filled)}] ${done}/${total}`;
    if (detail) line += `  ${detail}`;
    // A terminal that reports no width (0) gets 80.
    const width = (stream.columns || 80) - 1;
    // \r and "erase line": the line is rewritten where it stands, never scrolled.
    stream.write(`\r\x1b[2K${line.length > width ? line.slice(0, width) : line}`);
  };
  draw(true);
  return {
    advance(n = 1, latest) {
      done += n;
      if (latest) detail = latest;
      draw(done >= total);
    },
    update(nowDone, newTotal) {
      done = nowDone;
      total = newTotal;
      draw(done === 0 || done >= total);
    },
    stop() {
      if (tty) stream.write("\r\x1b[2K");
    },
  };
}
