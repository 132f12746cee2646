/** @jsxImportSource hono/jsx */
/**
 * The web console, on the admin listener under /console: sign in with an
 * admin token, then a session cookie (an EventSource cannot send an
 * Authorization header). Pages are rendered here; a small script of the
 * gateway's own (./assets) runs the live tail, explain and the actions.
 * Every change (re-drive, schema registration, sign-out) must carry the
 * session's CSRF token and come from the console's own origin.
 */
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Child } from "hono/jsx";
import { readsBackDeadLetters } from "../adapter/dead-letter-store.js";
import { DEFAULT_REPLAY_LIMIT, replayDeadLetters } from "../deliver/dead-letter/replay.js";
import { GatewayError } from "../errors/errors.js";
import { asGatewayError, problemResponse } from "../errors/problem-response.js";
import { isCesqlParseError } from "../filter/cesql/index.js";
import { type Gateway, redactedStatus, withDeliveryStatus } from "../http/create-gateway.js";
import { explainRequest } from "../http/explain-request.js";
import { type RegistryApiOptions, registryApi } from "../http/registry-api.js";
import type { AuditSink } from "../observe/audit-log.js";
import { redactQuery } from "../observe/redact.js";
import { CONSOLE_SCRIPT } from "./assets/console-script.js";
import { CONSOLE_STYLE } from "./assets/console-style.js";
import { type ConsoleSession, ConsoleSessions, SESSION_TTL_MS, sameToken } from "./console-sessions.js";
import type { LiveTail } from "./live-tail.js";
import { type ConsolePage, Layout, SignInPage } from "./pages/layout.js";
import { SchemasPage } from "./pages/schemas-page.js";
import { ExplainPage, TailPage } from "./pages/tail-page.js";
import { DEAD_LETTERS_SHOWN, type DeadLetterView, TargetsPage } from "./pages/targets-page.js";
import { compileTailFilter } from "./tail-filter.js";
import { tailStream } from "./tail-stream.js";

export interface ConsoleOptions {
  readonly gateway: Gateway;
  readonly tail: LiveTail;
  /** The id of the admin token given, or undefined when it is none (hashed-token check, as the admin API's). */
  readonly matchToken: (token: string) => Promise<string | undefined>;
  readonly audit?: AuditSink;
  readonly registry?: RegistryApiOptions;
  readonly sessions?: ConsoleSessions;
  /** A type's example events, where the registry keeps them (a folder's `<type>/examples`). */
  readonly examples?: (type: string) => Promise<readonly SchemaExample[]>;
}

export interface SchemaExample {
  readonly name: string;
  /** The file's JSON, or its text when it does not parse. */
  readonly content: unknown;
}

export const SESSION_COOKIE = "ce_console";
export const CSRF_HEADER = "x-csrf-token";
const MAX_FORM_BYTES = 8 * 1024;

type Env = { Variables: { session: ConsoleSession } };

/** No framing, no scripts or styles but the console's own, nothing cached. */
const PAGE_HEADERS = {
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
  "cache-control": "no-store",
};

/**
 * The scheme and host the browser used: the request's own, or those a TLS
 * proxy in front forwarded. Trusting the forwarded ones is safe here: they
 * only make the cookie stricter (Secure), or name an origin a cross-site
 * page cannot forge (a browser lets no other page set these headers).
 */
function browserOrigins(c: Context): { https: boolean; origins: string[] } {
  const own = new URL(c.req.url);
  const proto = c.req.header("x-forwarded-proto")?.split(",")[0]?.trim();
  const host = c.req.header("x-forwarded-host")?.split(",")[0]?.trim() ?? c.req.header("host");
  const origins = [own.origin];
  if (proto !== undefined && host !== undefined) origins.push(`${proto}://${host}`);
  return { https: own.protocol === "https:" || proto === "https", origins };
}

const isHttps = (c: Context) => browserOrigins(c).https;

/** Why a change request is refused as cross-site, or undefined when it comes from the console itself. */
function crossSite(c: Context): string | undefined {
  const origin = c.req.header("origin");
  if (origin !== undefined && !browserOrigins(c).origins.includes(origin))
    return `Origin ${origin} is not the console's`;
  const site = c.req.header("sec-fetch-site");
  if (site !== undefined && site !== "same-origin" && site !== "none")
    return `the request is ${site} (Sec-Fetch-Site)`;
  return undefined;
}

const refused = (detail: string) =>
  problemResponse(
    new GatewayError("forbidden", `Refused: ${detail}`, { failures: [{ code: "csrf", detail }] }),
  );

/** The CSRF token sent: the header (the script's requests), or the form field (the sign-out form). */
async function sentCsrf(c: Context): Promise<string> {
  const header = c.req.header(CSRF_HEADER);
  if (header !== undefined) return header;
  if (!(c.req.header("content-type") ?? "").startsWith("application/x-www-form-urlencoded")) return "";
  const form = await c.req.parseBody();
  return typeof form.csrf === "string" ? form.csrf : "";
}

function render(c: Context, node: Child, status: 200 | 401 = 200): Response {
  return c.html(`<!doctype html>${String(node)}`, status, PAGE_HEADERS);
}

const optionalNumber = (value: string | undefined) => {
  const n = Number(value);
  return value === undefined || value === "" || !Number.isInteger(n) ? undefined : n;
};

export function createConsoleApp(options: ConsoleOptions): Hono<Env> {
  const { gateway, tail } = options;
  const sessions = options.sessions ?? new ConsoleSessions();
  const registry = options.registry && registryApi(options.registry);
  const app = new Hono<Env>();

  const audit = (c: Context, principal: string, status: number) => {
    const url = new URL(c.req.url);
    options.audit?.({
      principal,
      method: c.req.method,
      path: url.pathname,
      query: redactQuery(url.search),
      resource: url.pathname.replace(/^\/+/, ""),
      status,
    });
  };

  // Static, and nothing secret: served before sign-in, so the sign-in page has its style.
  app.get("/assets/console.js", (c) =>
    c.body(CONSOLE_SCRIPT, 200, { "content-type": "text/javascript; charset=utf-8", ...PAGE_HEADERS }),
  );
  app.get("/assets/console.css", (c) =>
    c.body(CONSOLE_STYLE, 200, { "content-type": "text/css; charset=utf-8", ...PAGE_HEADERS }),
  );

  app.get("/sign-in", (c) => render(c, <SignInPage failed={false} />));
  // Anyone who reaches the admin port can post here: a sign-in form is small, so larger bodies are refused unread.
  const smallForm = bodyLimit({
    maxSize: MAX_FORM_BYTES,
    onError: () =>
      problemResponse(
        new GatewayError("payload-too-large", `A console form is at most ${MAX_FORM_BYTES} bytes`),
      ),
  });
  app.post("/sign-in", smallForm, async (c) => {
    const why = crossSite(c);
    if (why !== undefined) return refused(why);
    const form = await c.req.parseBody();
    const token = typeof form.token === "string" ? form.token.trim() : "";
    const principal = token === "" ? undefined : await options.matchToken(token);
    if (principal === undefined) {
      audit(c, "unauthenticated", 401);
      return render(c, <SignInPage failed={true} />, 401);
    }
    const session = sessions.open(principal);
    setCookie(c, SESSION_COOKIE, session.id, {
      httpOnly: true,
      sameSite: "Strict",
      path: "/console",
      secure: isHttps(c),
      maxAge: Math.floor(SESSION_TTL_MS / 1000),
    });
    audit(c, principal, 303);
    return c.redirect("/console", 303);
  });

  /**
   * Scripts (curl, the CLI) may read the live stream with the admin API's
   * bearer token instead of a cookie: a read, so no CSRF question arises.
   * Such a stream lasts as long as its connection.
   */
  const bearerReader = async (c: Context): Promise<ConsoleSession | undefined> => {
    if (c.req.method !== "GET" || c.req.path !== "/console/stream") return undefined;
    const token = /^Bearer\s+(.+)$/i.exec(c.req.header("authorization") ?? "")?.[1]?.trim() ?? "";
    const principal = token === "" ? undefined : await options.matchToken(token);
    return principal === undefined
      ? undefined
      : { id: "", principal, csrf: "", expiresAt: Number.POSITIVE_INFINITY };
  };

  // Everything below needs a session: pages send the browser to sign in, the rest answers 401.
  app.use("*", async (c, next) => {
    const session = sessions.find(getCookie(c, SESSION_COOKIE)) ?? (await bearerReader(c));
    if (session === undefined) {
      const wantsPage = c.req.method === "GET" && !c.req.path.startsWith("/console/api/");
      if (wantsPage && c.req.path !== "/console/stream") return c.redirect("/console/sign-in", 303);
      return problemResponse(new GatewayError("unauthorized", "Sign in to the console first"));
    }
    c.set("session", session);
    if (c.req.method !== "GET" && c.req.method !== "HEAD") {
      const why =
        crossSite(c) ?? (sameToken(await sentCsrf(c), session.csrf) ? undefined : "no valid CSRF token");
      if (why !== undefined) {
        audit(c, session.principal, 403);
        return refused(why);
      }
      await next();
      audit(c, session.principal, c.res.status);
      return;
    }
    await next();
  });

  app.post("/sign-out", (c) => {
    sessions.close(c.get("session").id);
    deleteCookie(c, SESSION_COOKIE, {
      path: "/console",
      secure: isHttps(c),
      httpOnly: true,
      sameSite: "Strict",
    });
    return c.redirect("/console/sign-in", 303);
  });

  const page = (c: Context<Env>, name: ConsolePage, body: Child) => {
    const session = c.get("session");
    return render(
      c,
      <Layout page={name} csrf={session.csrf} principal={session.principal}>
        {body}
      </Layout>,
    );
  };

  app.get("/", (c) => page(c, "tail", <TailPage />));
  app.get("/explain", (c) => page(c, "explain", <ExplainPage />));
  app.get("/schemas", async (c) => {
    const type = c.req.query("type");
    const known = type !== undefined && (options.registry?.registry.versions(type).length ?? 0) > 0;
    const examples = known && options.examples ? await options.examples(type) : [];
    return page(
      c,
      "schemas",
      <SchemasPage
        registry={options.registry?.registry}
        examples={examples}
        query={{
          type: c.req.query("type"),
          version: optionalNumber(c.req.query("version")),
          from: optionalNumber(c.req.query("from")),
          to: optionalNumber(c.req.query("to")),
        }}
      />,
    );
  });
  app.get("/targets", async (c) => {
    const state = gateway.state;
    const targets = withDeliveryStatus(
      redactedStatus(await state.targets.status(), gateway.secrets),
      gateway.guards,
      gateway.outbox,
    );
    const named = new Set((state.config.routes ?? []).flatMap((r) => (r.deadLetter ? [r.deadLetter] : [])));
    const deadLetters: DeadLetterView[] = await Promise.all(
      [...named].sort().map(async (target): Promise<DeadLetterView> => {
        const adapter = await state.targets.get(target);
        const store = readsBackDeadLetters(adapter) ? adapter.deadLetters() : undefined;
        if (store === undefined)
          return { target, letters: `${adapter.type}: what it holds cannot be read back, nor re-driven` };
        try {
          const letters = await store.list(DEAD_LETTERS_SHOWN);
          return {
            target,
            letters: letters.map(({ event }) => {
              const ext = (name: string) => String(event.extensions.get(name) ?? "");
              return {
                id: event.attributes.id,
                type: event.attributes.type,
                refusedBy: ext("deadlettertarget"),
                attempts: ext("deadletterattempts"),
                error: gateway.secrets.text(ext("deadlettererror")),
              };
            }),
          };
        } catch (error) {
          return { target, letters: gateway.secrets.text(`cannot be read now: ${String(error)}`) };
        }
      }),
    );
    return page(c, "targets", <TargetsPage targets={targets} deadLetters={deadLetters} />);
  });

  app.get("/stream", (c) => {
    let filter: ReturnType<typeof compileTailFilter>;
    try {
      filter = compileTailFilter({
        type: c.req.query("type"),
        source: c.req.query("source"),
        sql: c.req.query("sql"),
      });
    } catch (error) {
      if (!isCesqlParseError(error)) throw error;
      return problemResponse(
        new GatewayError("malformed-body", "The CESQL expression does not parse", {
          failures: [{ query: "sql", code: "invalid-cesql", detail: error.message }],
        }),
      );
    }
    const { id } = c.get("session");
    return tailStream(c, {
      tail,
      filter,
      secrets: gateway.secrets,
      signedIn: () => id === "" || sessions.find(id) !== undefined,
      backlog: c.req.query("recent") !== "0",
    });
  });

  app.post("/api/explain", async (c) => c.json(await explainRequest(gateway, c.req.raw)));

  app.post("/api/deadletters/:target/replay", async (c) =>
    c.json(await replayDeadLetters(gateway.state, c.req.param("target"), DEFAULT_REPLAY_LIMIT)),
  );

  // Registration is the registry API's own handler: the same checks and answers as the admin API's.
  app.post("/api/schemas/:type/versions", async (c) => {
    if (registry === undefined)
      return problemResponse(new GatewayError("not-found", "This gateway has no schema registry"));
    const path = `/schemagroups/events/schemas/${encodeURIComponent(c.req.param("type"))}/versions`;
    return registry.request(path, { method: "POST", body: await c.req.text() });
  });

  app.all("*", (c) => problemResponse(new GatewayError("not-found", `No console resource at ${c.req.path}`)));
  app.onError((thrown) => problemResponse(asGatewayError(thrown)));
  return app;
}
