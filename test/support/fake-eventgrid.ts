/**
 * A local Event Grid that checks what the real endpoints check: the path,
 * api-version, the auth header, the content type, a JSON array body and the
 * size limits (413), and records the events. HTTPS with a self-signed
 * certificate made here (openssl), or plain HTTP. Also a Microsoft Entra ID
 * token endpoint for client credentials.
 */
import { execFileSync } from "node:child_process";
import { createHmac, timingSafeEqual } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent, fetch as undiciFetch } from "undici";

export interface FakeEventGrid {
  readonly url: string;
  /** Each accepted request's body, as sent. */
  readonly requests: { path: string; headers: Record<string, string>; body: string }[];
  /** Fetch that trusts the fake's certificate. */
  readonly fetch: typeof fetch;
  tokensIssued(): number;
  /** Whether this fake's token endpoint issued `token`. */
  issued(token: string): boolean;
  /** Answers the next publish requests with these statuses (and headers) instead, as the service would fail. */
  failNext(...failures: { status: number; headers?: Record<string, string> }[]): void;
  /** Answers the next token requests with these statuses, or never ("hang"). */
  failTokensNext(...failures: (number | "hang")[]): void;
  close(): Promise<void>;
}

export interface FakeEventGridOptions {
  readonly tls?: boolean;
  readonly key?: string;
  readonly namespaceTopic?: string;
  /** Entra ID: accept this client secret at /{tenant}/oauth2/v2.0/token and bearer tokens it issued. */
  readonly entraSecret?: string;
  /** Also accept bearer tokens that this other fake (an authority elsewhere) issued. */
  readonly trustTokensOf?: FakeEventGrid;
  /** Accept aeg-sas-tokens signed with this (base64) key. */
  readonly sasKey?: string;
}

/** Parses "M/d/yyyy h:mm:ss AM" (UTC), the expiry format of a shared access signature. */
function parseServiceTime(text: string): number {
  const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2}):(\d{2}) (AM|PM)$/.exec(text);
  if (match === null) return Number.NaN;
  const [, month, day, year, hour, minute, second, half] = match.map((m) => m ?? "");
  const hours24 = (Number(hour) % 12) + (half === "PM" ? 12 : 0);
  return Date.UTC(Number(year), Number(month) - 1, Number(day), hours24, Number(minute), Number(second));
}

/** Checks an aeg-sas-token as the service does: resource, expiry, and the HMAC under the key. */
function validSasToken(token: string, key: string, resource: string, now: number): boolean {
  const params = new Map(token.split("&").map((part) => part.split("=", 2) as [string, string]));
  const [r, e, signature] = [params.get("r"), params.get("e"), params.get("s")];
  if (r === undefined || e === undefined || signature === undefined) return false;
  if (decodeURIComponent(r) !== resource || !(parseServiceTime(decodeURIComponent(e)) > now)) return false;
  const expected = createHmac("sha256", Buffer.from(key, "base64")).update(`r=${r}&e=${e}`).digest();
  const given = Buffer.from(decodeURIComponent(signature), "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function selfSignedCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), "ce-gateway-cert-"));
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
      "-keyout",
      join(dir, "key.pem"),
      "-out",
      join(dir, "cert.pem"),
    ],
    { stdio: "ignore" },
  );
  return {
    key: readFileSync(join(dir, "key.pem"), "utf8"),
    cert: readFileSync(join(dir, "cert.pem"), "utf8"),
  };
}

async function bodyOf(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const MB = 1_048_576;

export async function startFakeEventGrid(options: FakeEventGridOptions = {}): Promise<FakeEventGrid> {
  const requests: FakeEventGrid["requests"] = [];
  const issued = new Set<string>();
  const failures: { status: number; headers?: Record<string, string> }[] = [];
  const tokenFailures: (number | "hang")[] = [];
  const fail = (response: ServerResponse, status: number, code: string, message: string) => {
    response
      .writeHead(status, { "content-type": "application/json" })
      .end(JSON.stringify({ error: { code, message, details: [{ code, message }] } }));
  };
  const handler = async (request: IncomingMessage, response: ServerResponse) => {
    const body = await bodyOf(request);
    const url = new URL(request.url ?? "/", "http://x");
    const openIdConfiguration = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(url.pathname);
    if (openIdConfiguration !== null) {
      // What MSAL reads before asking for a token (the authority's metadata).
      const tenantUrl = `${baseUrl}/${openIdConfiguration[1]}`;
      response.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          issuer: `${tenantUrl}/v2.0`,
          token_endpoint: `${tenantUrl}/oauth2/v2.0/token`,
          authorization_endpoint: `${tenantUrl}/oauth2/v2.0/authorize`,
          end_session_endpoint: `${tenantUrl}/oauth2/v2.0/logout`,
          jwks_uri: `${tenantUrl}/discovery/v2.0/keys`,
          response_types_supported: ["code", "token"],
        }),
      );
      return;
    }
    if (url.pathname.endsWith("/oauth2/v2.0/token")) {
      const tokenFailure = tokenFailures.shift();
      if (tokenFailure === "hang") return; // the connection stays open until the fake closes
      if (tokenFailure !== undefined) {
        response
          .writeHead(tokenFailure, {
            "content-type": "application/json",
            ...(tokenFailure === 429 && { "retry-after": "3" }),
          })
          .end(JSON.stringify({ error: "temporarily_unavailable", error_description: "Injected failure" }));
        return;
      }
      const form = new URLSearchParams(body.toString());
      if (
        form.get("client_secret") !== options.entraSecret ||
        form.get("scope") !== "https://eventgrid.azure.net/.default"
      ) {
        response
          .writeHead(401, { "content-type": "application/json" })
          .end(JSON.stringify({ error: "invalid_client" }));
        return;
      }
      const token = `entra-${issued.size + 1}`;
      issued.add(token);
      response.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          access_token: token,
          expires_in: 3600,
          ext_expires_in: 3600,
          token_type: "Bearer",
        }),
      );
      return;
    }
    const namespace = options.namespaceTopic !== undefined;
    const expectedPath = namespace ? `/topics/${options.namespaceTopic}:publish` : "/api/events";
    if (request.method !== "POST" || url.pathname !== expectedPath)
      return fail(response, 404, "NotFound", `No endpoint ${url.pathname}`);
    const version = namespace ? "2024-06-01" : "2018-01-01";
    if (url.searchParams.get("api-version") !== version)
      return fail(response, 400, "BadRequest", "Unsupported api-version");
    const auth = request.headers.authorization ?? "";
    const authorized =
      (options.key !== undefined &&
        (namespace
          ? auth === `SharedAccessKey ${options.key}`
          : request.headers["aeg-sas-key"] === options.key)) ||
      (auth.startsWith("Bearer ") &&
        (issued.has(auth.slice(7)) || options.trustTokensOf?.issued(auth.slice(7)) === true)) ||
      (!namespace &&
        options.sasKey !== undefined &&
        validSasToken(
          String(request.headers["aeg-sas-token"] ?? ""),
          options.sasKey,
          `${baseUrl}/api/events?apiVersion=2018-01-01`,
          Date.now(),
        ));
    const failure = failures.shift();
    if (failure !== undefined) {
      response.writeHead(failure.status, { "content-type": "application/json", ...failure.headers }).end(
        JSON.stringify({
          error: { code: `Status${failure.status}`, message: "Injected failure", details: [] },
        }),
      );
      return;
    }
    if (!authorized)
      return fail(response, 401, "Unauthorized", "The request authorization key is not authorized");
    if (
      !/^application\/cloudevents-batch\+json;\s*charset=utf-8$/i.test(request.headers["content-type"] ?? "")
    ) {
      return fail(
        response,
        400,
        "BadRequest",
        "Content-Type must be application/cloudevents-batch+json; charset=utf-8",
      );
    }
    if (body.length > MB)
      return fail(response, 413, "RequestEntityTooLarge", "The maximum size (1048576) has been exceeded");
    let events: unknown;
    try {
      events = JSON.parse(body.toString("utf8"));
    } catch {
      return fail(response, 400, "BadRequest", "The body is not JSON");
    }
    if (!Array.isArray(events)) return fail(response, 400, "BadRequest", "The body must be a JSON array");
    if (events.length > (namespace ? 1_000 : 5_000))
      return fail(response, 400, "BadRequest", "Too many events");
    if (events.some((e) => Buffer.byteLength(JSON.stringify(e)) > MB))
      return fail(response, 413, "RequestEntityTooLarge", "An event is over 1 MB");
    requests.push({
      path: url.pathname,
      headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)])),
      body: body.toString("utf8"),
    });
    response.writeHead(200, { "content-type": "application/json" }).end(namespace ? "{}" : "");
  };
  let baseUrl = "";
  const tls = options.tls ? selfSignedCertificate() : undefined;
  const server = tls
    ? createHttpsServer({ key: tls.key, cert: tls.cert }, handler)
    : createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  baseUrl = `${tls ? "https" : "http"}://127.0.0.1:${port}`;
  const agent = tls ? new Agent({ connect: { ca: tls.cert } }) : undefined;
  const trustingFetch = ((input: string | URL, init?: RequestInit) =>
    undiciFetch(input, {
      ...(init as object),
      ...(agent ? { dispatcher: agent } : {}),
    } as never)) as unknown as typeof fetch;
  return {
    url: baseUrl,
    requests,
    fetch: trustingFetch,
    tokensIssued: () => issued.size,
    issued: (token) => issued.has(token),
    failNext: (...next) => {
      failures.push(...next);
    },
    failTokensNext: (...next) => {
      tokenFailures.push(...next);
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
