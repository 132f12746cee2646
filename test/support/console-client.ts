/**
 * A test's way into the console of a gateway started by ./console-gateway.ts:
 * requests to its admin listener (redirects not followed), signing in as a
 * browser does (the session cookie and the page's CSRF token), and reading
 * the live stream's server-sent events.
 */
import { afterAll, beforeAll, expect } from "vitest";
import { CONSOLE_TOKEN, type ConsoleGateway, startConsoleGateway } from "./console-gateway.js";

export interface ConsoleSession {
  readonly cookie: string;
  /** The whole Set-Cookie header, flags included. */
  readonly setCookie: string;
  readonly csrf: string;
}

export function consoleClient(gateway: () => ConsoleGateway) {
  const admin = (path: string, init: RequestInit = {}) =>
    fetch(`${gateway().adminUrl}${path}`, { redirect: "manual", ...init });

  async function signIn(): Promise<ConsoleSession> {
    const response = await admin("/console/sign-in", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: gateway().adminUrl },
      body: new URLSearchParams({ token: CONSOLE_TOKEN }),
    });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/console");
    const setCookie = response.headers.get("set-cookie") ?? "";
    const cookie = setCookie.split(";")[0] as string;
    const page = await (await admin("/console", { headers: { cookie } })).text();
    const csrf = /name="csrf-token" content="([0-9a-f]+)"/.exec(page)?.[1] ?? "";
    return { cookie, setCookie, csrf };
  }

  return { admin, signIn };
}

/**
 * A gateway with the console for the test file: started before its tests,
 * stopped after them. `gw()` is the running gateway.
 */
export function consoleGatewayForFile() {
  let running: ConsoleGateway | undefined;
  const gw = (): ConsoleGateway => {
    if (running === undefined) throw new Error("the console gateway is not started yet");
    return running;
  };
  beforeAll(async () => {
    running = await startConsoleGateway();
  }, 60_000);
  afterAll(async () => {
    await running?.stop();
  });
  return { gw, ...consoleClient(gw) };
}

/** Reads server-sent events from a response until `until` holds for one; returns all read. */
export async function readEvents(
  response: Response,
  until: (event: { event: string; data: string }) => boolean,
  timeoutMs = 5_000,
): Promise<{ event: string; data: string }[]> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const seen: { event: string; data: string }[] = [];
  let buffer = "";
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      const timer = new Promise<undefined>((resolve) => setTimeout(resolve, deadline - Date.now()));
      const chunk = await Promise.race([reader.read(), timer]);
      if (chunk === undefined || chunk.done) break;
      buffer += decoder.decode(chunk.value, { stream: true });
      let end = buffer.indexOf("\n\n");
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf("\n\n");
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event === undefined || data === undefined) continue;
        seen.push({ event, data });
        if (until({ event, data })) return seen;
      }
    }
    return seen;
  } finally {
    await reader.cancel().catch(() => {});
  }
}
