/**
 * The web console in a real browser: headless Chromium against
 * `ce-gateway serve` with its admin listener. Signs in with an admin token,
 * sees an event posted to the gateway appear in the live tail within a
 * second, hides a non-matching one with a CESQL filter, explains an event,
 * sees a change without the CSRF token refused (403) and the console's own
 * buttons work, and writes the README's screenshot (docs/console.png).
 */
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { browserIt, chromiumMissing, launchChromium } from "../support/chromium.js";
import { projectRoot } from "../support/cli-process.js";
import {
  CONSOLE_TOKEN,
  type ConsoleGateway,
  ORDER_TYPE,
  startConsoleGateway,
} from "../support/console-gateway.js";

/**
 * The README's image is rewritten only when asked (`CE_UPDATE_SCREENSHOT=1 npx vitest run
 * test/browser/console-browser.test.ts`); otherwise the screenshot goes to a temporary file, so a
 * test run leaves the working tree as it found it.
 */
const SCREENSHOT =
  process.env.CE_UPDATE_SCREENSHOT === "1"
    ? join(projectRoot, "docs", "console.png")
    : join(mkdtempSync(join(tmpdir(), "ce-gateway-console-")), "console.png");

let gw: ConsoleGateway;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (chromiumMissing !== undefined) return;
  gw = await startConsoleGateway();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1100, height: 640 } });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await gw?.stop();
});

const live = () => page.waitForSelector('#tail-status[data-state="live"]', { timeout: 10_000 });
const entry = (id: string) => page.locator(`details.entry:has(summary:has-text("${id}"))`);

describe("the web console in Chromium", () => {
  browserIt("signs in with an admin token and loads the live tail", async () => {
    await page.goto(`${gw.adminUrl}/console`);
    expect(new URL(page.url()).pathname).toBe("/console/sign-in");
    await page.fill('input[name="token"]', CONSOLE_TOKEN);
    await page.click('button[type="submit"]');
    await page.waitForURL(`${gw.adminUrl}/console`);
    await live();
    expect(await page.textContent("h1")).toBe("Live tail");
    // The session cookie is HttpOnly: the page's scripts cannot read it.
    expect(await page.evaluate(() => document.cookie)).toBe("");
  });

  browserIt("shows an event posted to the gateway within a second, with its deliveries", async () => {
    const posted = Date.now();
    expect(await gw.post({ id: "browser-tail-1", data: { orderId: 42 } })).toBe(202);
    await entry("browser-tail-1").waitFor({ timeout: 1_000 });
    expect(Date.now() - posted).toBeLessThan(1_000);
    await entry("browser-tail-1").locator("summary").click();
    const details = entry("browser-tail-1");
    await expect
      .poll(() => details.locator(".badge").allTextContents())
      .toEqual(["out: acked", "shop: terminal"]);
    expect(await details.locator(".routes").textContent()).toBe("orders");
    expect(await details.locator(".verdict").textContent()).toContain(`urn:console-test:${ORDER_TYPE}:2`);
    expect(await details.locator("pre.json").textContent()).toContain('"orderId": 42');
  });

  browserIt("hides an event the CESQL filter does not match", async () => {
    await page.fill('input[name="sql"]', "source = '/web/shown'");
    await page.click("#tail-filter button");
    await live();
    await gw.post({ id: "browser-hidden", source: "/web/hidden" });
    await gw.post({ id: "browser-shown", source: "/web/shown" });
    await entry("browser-shown").waitFor({ timeout: 2_000 });
    // Posted (and streamed) before the shown one: had it passed the filter, it would be here by now.
    expect(await entry("browser-hidden").count()).toBe(0);
    await page.fill('input[name="sql"]', "");
    await page.click("#tail-filter button");
    await live();
  });

  browserIt("opens a tailed event in route explain", async () => {
    await entry("browser-shown").locator("summary").click();
    await entry("browser-shown").locator("text=Explain this event").click();
    await page.waitForURL(`${gw.adminUrl}/console/explain`);
    expect(await page.inputValue("#explain-event")).toContain('"id": "browser-shown"');
  });

  browserIt("explains which routes match an event and where it goes", async () => {
    await page.goto(`${gw.adminUrl}/console/explain`);
    await page.fill(
      "#explain-event",
      JSON.stringify({
        specversion: "1.0",
        id: "e-1",
        source: "/audit/x",
        type: "com.example.user.signed-up",
      }),
    );
    await page.click("#explain-form button");
    await page.waitForSelector(".explanation");
    const rows = await page.$$eval(".explanation table:first-of-type tbody tr", (trs) =>
      trs.map((tr) => [...tr.querySelectorAll("td")].slice(0, 2).map((td) => td.textContent)),
    );
    expect(rows).toEqual([
      ["orders", "no"],
      ["audit", "yes"],
    ]);
    expect(await page.textContent(".explanation .outcome")).toBe("Outcome: deliver");
  });

  browserIt("refuses a re-drive without the CSRF token, and the Re-drive button works", async () => {
    await page.goto(`${gw.adminUrl}/console/targets`);
    const forged = await page.evaluate(async () => {
      const response = await fetch("/console/api/deadletters/dlq/replay", { method: "POST" });
      return response.status;
    });
    expect(forged).toBe(403);
    expect(await page.locator('.dead-letters[data-target="dlq"] tbody tr').count()).toBeGreaterThan(0);
    gw.accept();
    await page.click('button.replay[data-target="dlq"]');
    await expect
      .poll(() => page.textContent('.dead-letters[data-target="dlq"] .replay-result'))
      .toMatch(/^Re-drove \d+: \d+ delivered/);
  });

  browserIt("registers a schema version from the schema browser", async () => {
    await page.goto(`${gw.adminUrl}/console/schemas?type=${ORDER_TYPE}`);
    const forged = await page.evaluate(async (type) => {
      const response = await fetch(`/console/api/schemas/${type}/versions`, { method: "POST", body: "{}" });
      return response.status;
    }, ORDER_TYPE);
    expect(forged).toBe(403);
    await page.fill("#register-schema", JSON.stringify({ type: "object" }));
    await page.click("#register-form button");
    await page.waitForURL(/version=3$/);
    expect(await page.textContent("h3")).toContain("Version 3");
  });

  browserIt("writes the screenshot for the README", async () => {
    await page.goto(`${gw.adminUrl}/console`);
    await live();
    for (const [i, source] of ["/shop/eu", "/shop/us", "/audit/login"].entries()) {
      await gw.post({
        id: `shot-${i + 1}`,
        source,
        type: i === 2 ? "com.example.user.signed-in" : ORDER_TYPE,
      });
    }
    await entry("shot-1").waitFor();
    await entry("shot-3").waitFor();
    await entry("shot-1").locator("summary").click();
    await page.setViewportSize({ width: 1100, height: 900 });
    await page.screenshot({ path: SCREENSHOT, type: "png" });
    const size = statSync(SCREENSHOT).size;
    expect(size).toBeGreaterThan(10_000);
    expect(size).toBeLessThan(200_000);
  });

  browserIt("signs out, and the console then asks to sign in again", async () => {
    await page.click("form.sign-out button");
    await page.waitForURL(`${gw.adminUrl}/console/sign-in`);
    await page.goto(`${gw.adminUrl}/console/targets`);
    expect(new URL(page.url()).pathname).toBe("/console/sign-in");
  });
});
