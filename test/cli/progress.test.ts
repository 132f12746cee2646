/**
 * The progress line: redrawn in place on a terminal, silent elsewhere.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startProgress } from "../../src/cli/progress.js";
import { projectRoot } from "../support/cli-process.js";

/** util-linux's `script` runs a command on a pseudo-terminal: the real command sees a TTY. */
const noScript = (() => {
  try {
    execFileSync("script", ["--version"], { stdio: "ignore" });
    return undefined;
  } catch {
    return "util-linux's script(1) is not installed, so no command can be run on a pseudo-terminal";
  }
})();

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

describe.skipIf(noScript !== undefined)(
  `progress in a real command on a terminal${noScript ? ` (skipped: ${noScript})` : ""}`,
  () => {
    it("ce-gateway test draws the line on the terminal, then prints its summary; piped, only the summary", () => {
      const command = `${JSON.stringify(process.execPath)} bin/ce-gateway.js test --config examples/shop/gateway.yaml`;
      const tty = spawnSync("script", ["-qec", command, "/dev/null"], {
        cwd: projectRoot,
        encoding: "utf8",
        env: { ...process.env, COLUMNS: "100" },
      });
      expect(tty.status).toBe(0);
      expect(tty.stdout).toContain("\r\x1b[2Kexamples [########################] 4/4");
      expect(tty.stdout).toContain("4 passed, 0 failed");
      const piped = spawnSync(
        process.execPath,
        [join(projectRoot, "bin/ce-gateway.js"), "test", "--config", "examples/shop/gateway.yaml"],
        {
          cwd: projectRoot,
          encoding: "utf8",
        },
      );
      expect(piped.stderr).toBe("");
      expect(piped.stdout).not.toContain("\x1b[");
      expect(piped.stdout).toContain("4 passed, 0 failed");
    });
  },
);
