/**
 * CORS as a real browser enforces it: Chromium (headless) loads a page from
 * one localhost port and posts a binary-mode CloudEvent with ce-* headers and
 * a bearer key to `ce-gateway serve` on another. The allowed origin's event
 * is delivered and its answers (202, and a 401 problem) are readable by the
 * page; another origin's request is blocked by the browser at the preflight.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { browserIt, chromiumMissing, launchChromium } from "../support/chromium.js";
import { type RunningCli, startCli } from "../support/cli-process.js";
import { CORS_KEY, writeCorsConfig } from "../support/cors-config.js";

/** A server for the page's origin: an empty HTML page the test's scripts run in. */
async function pageServer(): Promise<{ server: Server; origin: string }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html" });
    response.end("<!doctype html><title>producer</title>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

interface PageResult {
  readonly status?: number;
  readonly requestId?: string | null;
  readonly code?: string;
  readonly error?: string;
}

let allowed: { server: Server; origin: string };
let other: { server: Server; origin: string };
let gateway: RunningCli;
let browser: Browser;

beforeAll(async () => {
  if (chromiumMissing !== undefined) return;
  allowed = await pageServer();
  other = await pageServer();
  gateway = await startCli(["serve", "--config", writeCorsConfig(allowed.origin, true), "--port", "0"]);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  for (const page of [allowed, other]) await new Promise((resolve) => page?.server.close(resolve));
});

/** Opens the page at `origin` and posts one event from it; a blocked request comes back as `error`. */
async function postFromPage(origin: string, id: string, key: string | undefined): Promise<PageResult> {
  const page = await browser.newPage();
  try {
    await page.goto(origin);
    return await page.evaluate(
      async ({ url, id, key }) => {
        try {
          const response = await fetch(url, {
            method: "POST",
            headers: {
              "content-type": "application/json",
              "ce-specversion": "1.0",
              "ce-id": id,
              "ce-source": "/web/page",
              "ce-type": "com.example.clicked",
              ...(key === undefined ? {} : { authorization: `Bearer ${key}` }),
            },
            body: JSON.stringify({ button: "buy" }),
          });
          const text = await response.text();
          const code =
            response.headers.get("content-type") === "application/problem+json"
              ? JSON.parse(text).code
              : undefined;
          return { status: response.status, requestId: response.headers.get("x-request-id"), code };
        } catch (error) {
          return { error: String(error) };
        }
      },
      { url: `${gateway.url}/events`, id, key },
    );
  } finally {
    await page.close();
  }
}

describe("CORS in Chromium against ce-gateway serve", () => {
  browserIt(
    `the allowed origin's event is delivered and its answer readable`,
    async () => {
      const result = await postFromPage(allowed.origin, "browser-allowed-1", CORS_KEY);
      expect(result).toMatchObject({ status: 202 });
      expect(result.requestId).toMatch(/.+/);
      await expect.poll(() => gateway.stdout(), { timeout: 10_000 }).toContain("browser-allowed-1");
    },
    60_000,
  );

  browserIt(
    `the allowed origin reads a 401 problem answer`,
    async () => {
      const result = await postFromPage(allowed.origin, "browser-no-key", undefined);
      expect(result).toMatchObject({ status: 401, code: "unauthenticated" });
    },
    60_000,
  );

  browserIt(
    `another origin is blocked by the browser`,
    async () => {
      const result = await postFromPage(other.origin, "browser-refused-1", CORS_KEY);
      expect(result.status).toBeUndefined();
      expect(result.error).toMatch(/Failed to fetch/);
      expect(gateway.stdout()).not.toContain("browser-refused-1");
    },
    60_000,
  );
});
