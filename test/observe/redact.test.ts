/**
 * Secret redaction: the redactor on its own, then a gateway (the Node entry,
 * in process, with a capturing logger) given secret-bearing config and
 * requests: no secret reaches a log line, a problem body, /status, an
 * explanation, `config show` or `routes explain`.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfigFile } from "../../src/cli/config-file.js";
import { type RunningGateway, serveGateway } from "../../src/entries/node/serve.js";
import {
  isSecretName,
  REDACTED,
  redactByShape,
  redactQuery,
  SecretRedactor,
} from "../../src/observe/redact.js";
import { projectRoot } from "../support/cli-process.js";
import { type EchoReceiver, startEchoReceiver } from "../support/echo-receiver.js";

describe("isSecretName", () => {
  it.each([
    "authorization",
    "Authorization",
    "Cookie",
    "aeg-sas-key",
    "aeg-sas-token",
    "x-api-key",
    "access_token",
    "sasToken",
    "clientSecret",
    "key",
    "token",
    "pass",
    "password",
    "nkey",
    "creds",
    "credentials",
    "secrets",
    "webhook-signature",
    "x-hub-signature-256",
    "private_key",
  ])("%s is secret", (name) => expect(isSecretName(name)).toBe(true));

  it.each(["id", "sha256", "tokens", "orderingKey", "type", "code", "url", "subject", "keys", "topic"])(
    "%s is not",
    (name) => expect(isSecretName(name)).toBe(false),
  );
});

describe("redaction by shape", () => {
  it("replaces secret query parameters and keeps the others", () => {
    expect(redactQuery("?access_token=abc&x=1")).toBe(`?access_token=${REDACTED}&x=1`);
    expect(redactQuery("a=1&code=zzz&sig=y")).toBe(`a=1&code=${REDACTED}&sig=${REDACTED}`);
    expect(redactQuery("")).toBe("");
  });

  it("replaces URL passwords, secret query values and credentials after an auth scheme in free text", () => {
    expect(redactByShape("connect nats://alice:pa55word@nats:4222 failed")).toBe(
      `connect nats://alice:${REDACTED}@nats:4222 failed`,
    );
    expect(redactByShape("POST https://fn.example/api?code=k3y&x=1: HTTP 500")).toBe(
      `POST https://fn.example/api?code=${REDACTED}&x=1: HTTP 500`,
    );
    expect(redactByShape('{"authorization":"Bearer eyJhbGciOi.abc.def"}')).toBe(
      `{"authorization":"Bearer ${REDACTED}"}`,
    );
    expect(redactByShape("nothing to see")).toBe("nothing to see");
  });
});

describe("SecretRedactor", () => {
  const config = {
    targets: {
      grid: { type: "eventgrid", endpoint: "https://t.example/api/events", key: "eg-key-value-1" },
      bus: { type: "nats", url: "nats://svc:nats-pass-value@nats:4222", token: "nats-token-value" },
      gcp: { type: "pubsub", credentials: { type: "service_account", private_key: "-----PRIVATE-----" } },
      hook: {
        type: "http",
        url: "https://h.example/x?code=fn-code-value",
        headers: { Authorization: "Bearer hdr-bearer-value" },
      },
    },
    ingest: { sources: [{ path: "/gh", type: "github", secrets: ["gh-secret-one", "gh-secret-two"] }] },
  };
  const redactor = new SecretRedactor().learn(config);
  const secrets = [
    "eg-key-value-1",
    "nats-pass-value",
    "nats-token-value",
    "-----PRIVATE-----",
    "fn-code-value",
    "hdr-bearer-value",
    "gh-secret-one",
    "gh-secret-two",
  ];

  it("learns the config's secrets and replaces them wherever they are echoed", () => {
    const echoed = `target said: ${secrets.join(" | ")}`;
    const redacted = redactor.text(echoed);
    for (const secret of secrets) expect(redacted).not.toContain(secret);
    expect(redacted).toContain("target said: ");
  });

  it("replaces values under secret names whole and keeps the rest", () => {
    const shown = redactor.value(config);
    expect(shown.targets.grid).toEqual({
      type: "eventgrid",
      endpoint: "https://t.example/api/events",
      key: REDACTED,
    });
    expect(shown.targets.gcp.credentials).toBe(REDACTED);
    expect(shown.targets.hook.headers.Authorization).toBe(REDACTED);
    expect(shown.targets.hook.url).toBe(`https://h.example/x?code=${REDACTED}`);
    expect(shown.ingest.sources[0]?.secrets).toBe(REDACTED);
    expect(JSON.stringify(shown)).not.toMatch(
      new RegExp(secrets.map((s) => s.replace(/-/g, "\\-")).join("|")),
    );
  });

  it("turns errors into plain redacted objects", () => {
    const error = new Error("cannot reach https://h.example/x?code=fn-code-value");
    const shown = redactor.value<unknown>({ err: error }) as { err: { type: string; message: string } };
    expect(shown.err.type).toBe("Error");
    expect(shown.err.message).toBe(`cannot reach https://h.example/x?code=${REDACTED}`);
  });

  it("does not blank out short values, which would be ordinary words", () => {
    const short = new SecretRedactor().learn({ pass: "abc" });
    expect(short.text("abc def")).toBe("abc def");
  });
});

// The secrets of the end-to-end part: in the config (through the environment), and in requests.
const ADMIN_TOKEN = "admin-token-redact-0123456789";
const APP_KEY = "ceg_app_redact_7f3a1c9e5b";
const SECRETS = {
  TARGET_BEARER: "target-bearer-secret-4d8e2f",
  URL_CODE: "function-code-secret-9b1c7a",
  EG_KEY: "eventgrid-key-secret-c0ffee==",
  HMAC_SECRET: "hmac-signing-secret-51ab7e",
  NATS_PASS: "nats-password-secret-a1b2c3",
};
const CLIENT_QUERY_TOKEN = "client-query-token-3e5d7f";
const CLIENT_BEARER = "client-bearer-secret-8a6c4e";
const ALL_SECRETS = [ADMIN_TOKEN, APP_KEY, CLIENT_QUERY_TOKEN, CLIENT_BEARER, ...Object.values(SECRETS)];
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

const configText = (receiverUrl: string) => `version: 1
admin: { port: 0, tokens: [{ id: ops, sha256: "${sha256(ADMIN_TOKEN)}" }] }
targets:
  echo:
    type: http
    url: "${receiverUrl}/hook?code=\${env:URL_CODE}"
    mode: structured
    headers: { Authorization: "Bearer \${env:TARGET_BEARER}" }
  grid: { type: eventgrid, endpoint: "https://grid.invalid/api/events", key: "\${env:EG_KEY}" }
  bus: { type: nats, url: "nats://gateway:\${env:NATS_PASS}@127.0.0.1:1", subject: events }
routes:
  - name: all
    to: [echo]
auth:
  apiKeys: [{ id: app, sha256: "${sha256(APP_KEY)}" }]
ingest:
  sources:
    - path: /hooks/signed
      type: hmac
      header: x-signature
      secrets: ["\${env:HMAC_SECRET}"]
      event: { type: "'com.example.hook'", source: "'/hooks'", id: "body.id" }
`;

const EVENT = JSON.stringify({
  specversion: "1.0",
  id: "e-1",
  source: "/app",
  type: "com.example.created",
  data: { note: "hello" },
});

function expectNoSecret(what: string, text: string) {
  for (const secret of ALL_SECRETS) expect(text, `${what} holds ${secret}`).not.toContain(secret);
}

describe("no secret leaves the gateway", () => {
  let receiver: EchoReceiver;
  let running: RunningGateway;
  let configPath: string;
  const lines: string[] = [];
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    receiver = await startEchoReceiver();
    const dir = mkdtempSync(join(tmpdir(), "ce-gateway-redact-"));
    configPath = join(dir, "gateway.yaml");
    writeFileSync(configPath, configText(receiver.url));
    Object.assign(process.env, SECRETS);
    const write = (level: string) => (fields: object, message: string) =>
      lines.push(JSON.stringify({ level, ...fields, msg: message }));
    running = await serveGateway({
      config: loadConfigFile(configPath),
      port: 0,
      host: "127.0.0.1",
      logger: { debug: write("debug"), info: write("info"), warn: write("warn"), error: write("error") },
      source: { path: configPath, dir, load: () => loadConfigFile(configPath) },
    });
  }, 30_000);

  afterAll(async () => {
    await running?.stop();
    await receiver?.close();
    process.env = savedEnv;
  });

  const admin = (path: string, init: RequestInit = {}) =>
    fetch(`${running.adminUrl}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(init.headers as Record<string, string>) },
    });

  it("refuses a bad bearer with access_token in the URL, and says nothing of either", async () => {
    const response = await fetch(`${running.url}/events?access_token=${CLIENT_QUERY_TOKEN}`, {
      method: "POST",
      headers: { "content-type": "application/cloudevents+json", authorization: `Bearer ${CLIENT_BEARER}` },
      body: EVENT,
    });
    expect(response.status).toBe(401);
    expectNoSecret("the 401", await response.text());
  });

  it("answers a target's refusal that echoes its key and URL with a problem that holds neither", async () => {
    const before = receiver.count();
    const response = await fetch(`${running.url}/events`, {
      method: "POST",
      headers: { "content-type": "application/cloudevents+json", authorization: `Bearer ${APP_KEY}` },
      body: EVENT,
    });
    expect(receiver.count()).toBe(before + 1);
    expect(response.status).toBe(502);
    const problem = await response.text();
    // The receiver's echo is quoted, with the secrets in it replaced.
    expect(problem).toContain("refused /hook?code=[redacted]");
    expectNoSecret("the 502", problem);
  });

  it("refuses a bad signature without showing the signing secret", async () => {
    const response = await fetch(`${running.url}/hooks/signed`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-signature": `sha256=${SECRETS.HMAC_SECRET}` },
      body: JSON.stringify({ id: "h-1" }),
    });
    expect(response.status).toBe(401);
    expectNoSecret("the signature 401", await response.text());
  });

  it("shows no secret in /status on either listener", async () => {
    const ingest = await (await fetch(`${running.url}/status`)).text();
    const adminStatus = await admin("/status");
    expect(adminStatus.status).toBe(200);
    const body = await adminStatus.text();
    expect(body).toContain('"echo"');
    expectNoSecret("/status", ingest);
    expectNoSecret("admin /status", body);
  });

  it("shows no secret in an admin explanation", async () => {
    const response = await admin("/routes/explain", {
      method: "POST",
      headers: { "content-type": "application/cloudevents+json" },
      body: EVENT,
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('"echo"');
    expectNoSecret("the explanation", text);
  });

  it("audits an admin write without the token", async () => {
    const response = await admin(`/reload?access_token=${CLIENT_QUERY_TOKEN}`, { method: "POST" });
    expect(response.status).toBe(200);
    const audit = lines.map((line) => JSON.parse(line)).filter((line) => line.audit === true);
    expect(audit.at(-1)).toMatchObject({ principal: "ops", method: "POST", resource: "reload", status: 200 });
  });

  it("gives its runner a logger that redacts the config's secrets too (ce-gateway serve's own lines)", () => {
    const failure = new Error(`close nats://gateway:${SECRETS.NATS_PASS}@nats.internal:4222 failed`);
    running.logger.error({ err: failure, target: `Bearer ${SECRETS.TARGET_BEARER}` }, "shutdown failed");
    const line = lines.at(-1) ?? "";
    expect(line).toContain("shutdown failed");
    expect(line).toContain("@nats.internal:4222 failed");
    expect(line).toContain("[redacted]");
    expectNoSecret("the runner's line", line);
  });

  it("wrote log lines for all of it, none with a secret", () => {
    const text = lines.join("\n");
    expect(text).toContain("delivery failed");
    expect(text).toContain("[redacted]");
    expectNoSecret("the log", text);
  });

  const cli = (args: string[]) =>
    spawnSync(process.execPath, [join(projectRoot, "bin/ce-gateway.js"), ...args], {
      encoding: "utf8",
      env: { ...process.env, ...SECRETS },
    });

  it("config show prints the effective config with every secret redacted", () => {
    const result = cli(["config", "show", configPath]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    // Interpolated: the receiver's URL is there, its code is not.
    expect(result.stdout).toContain(`${receiver.url}/hook?code=[redacted]`);
    expect(result.stdout).toMatch(/key: "?\[redacted\]"?/);
    expect(result.stdout).toContain(sha256(ADMIN_TOKEN));
    expectNoSecret("config show", result.stdout);
  });

  it("routes explain shows no secret, even one passed in a header or the query", () => {
    const dir = mkdtempSync(join(tmpdir(), "ce-gateway-redact-explain-"));
    writeFileSync(join(dir, "event.json"), EVENT);
    writeFileSync(join(dir, "hook.json"), JSON.stringify({ id: SECRETS.HMAC_SECRET }));
    const byEvent = cli(["routes", "explain", "--config", configPath, join(dir, "event.json"), "--json"]);
    expect(byEvent.status).toBe(0);
    expectNoSecret("routes explain", byEvent.stdout + byEvent.stderr);
    const bySource = cli([
      "routes",
      "explain",
      "--config",
      configPath,
      "--source",
      "/hooks/signed",
      "--body",
      join(dir, "hook.json"),
      "--header",
      `x-signature:sha256=${CLIENT_BEARER}`,
      "--query",
      `access_token=${CLIENT_QUERY_TOKEN}`,
    ]);
    expect(bySource.stdout + bySource.stderr).not.toBe("");
    expectNoSecret("routes explain --source", bySource.stdout + bySource.stderr);
  });
});
