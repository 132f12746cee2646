/**
 * Debian's Chromium for the browser tests, driven by playwright-core
 * (`npx playwright install` cannot download here). Without it the tests
 * skip, saying why; under CI (`CE_REQUIRE_CHROMIUM=1`, set by .ci/run, which
 * installs it) a missing browser fails instead.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";
import { it } from "vitest";

const CHROMIUM = "/usr/bin/chromium";
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Why Chromium cannot run here, or undefined when it can. */
function chromiumUnavailable(): string | undefined {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is not installed`;
  const probe = spawnSync(CHROMIUM, [...FLAGS, "--version"], { encoding: "utf8", timeout: 30_000 });
  if (probe.status !== 0) return `${CHROMIUM} --version failed: ${probe.stderr || probe.error}`;
  return undefined;
}

export const chromiumMissing = chromiumUnavailable();
if (chromiumMissing !== undefined && process.env.CE_REQUIRE_CHROMIUM === "1") {
  throw new Error(`CE_REQUIRE_CHROMIUM is set but Chromium cannot run: ${chromiumMissing}`);
}
const skipped = chromiumMissing === undefined ? "" : ` (skipped: ${chromiumMissing})`;

/** A test that needs the browser: skipped, with the reason in its name, when Chromium cannot run. */
export const browserIt = (name: string, test: () => Promise<void>, timeoutMs = 60_000) =>
  it.skipIf(chromiumMissing !== undefined)(`${name}${skipped}`, test, timeoutMs);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS, timeout: 60_000 });
}
