/**
 * The progress line: redrawn in place on a terminal, silent elsewhere.
 */
import { describe, expect, it } from "vitest";
import { startProgress } from "../../src/cli/progress.js";

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { isTTY, columns: 60, writes, write: (text: string) => writes.push(text) };
}

describe("startProgress", () => {
  it("on a terminal, redraws one line (carriage return, erase) at most every 100 ms, and clears it", () => {
    const out = stream(true);
    let now = 0;
    const progress = startProgress("sending", 4, out, () => now);
    progress.advance(1);
    now = 150;
    progress.advance(1, "1 not accepted");
    progress.advance(1); // within 100 ms of the last draw: skipped
    now = 160;
    progress.advance(1); // the last one is always drawn
    progress.stop();
    expect(out.writes).toEqual([
      `\r\x1b[2Ksending [${" ".repeat(24)}] 0/4`,
      `\r\x1b[2Ksending [############            ] 2/4  1 not accepted`,
      `\r\x1b[2Ksending [########################] 4/4  1 not accepted`,
      "\r\x1b[2K",
    ]);
  });

  it("cuts the line to the terminal's width", () => {
    const out = stream(true);
    startProgress("x", 1, out).advance(1, "y".repeat(200));
    expect(out.writes.every((w) => w.length <= "\r\x1b[2K".length + 59)).toBe(true);
  });

  it("writes nothing when stderr is not a terminal", () => {
    const out = stream(false);
    const progress = startProgress("sending", 2, out);
    progress.advance(2);
    progress.update(2, 3);
    progress.stop();
    expect(out.writes).toEqual([]);
  });
});
