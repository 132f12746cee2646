/**
 * The github source, driven by GitHub's own example deliveries
 * (@octokit/webhooks-examples) signed as GitHub signs them
 * (@octokit/webhooks-methods), through the app and through a real server.
 */
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { sign } from "@octokit/webhooks-methods";
import { afterEach, describe, expect, it } from "vitest";
import { createMemoryAdapter } from "../../adapters/memory/index.js";
import type { ConfigIssue } from "../../src/config/config-error.js";
import type { GatewayConfig } from "../../src/config/gateway-config.js";
import { parseConfig } from "../../src/config/parse-config.js";
import { createGateway } from "../../src/entries/node/create-gateway.js";
import { gatewayListener } from "../../src/entries/node/events-listener.js";
import { nodeTargets } from "../../src/entries/node/targets.js";
import type { GatewayReport } from "../../src/observe/observer.js";
import { configIssues } from "../support/config-issues.js";
import { problemOf, text } from "../support/gateway.js";

interface WebhookDefinition {
  readonly name: string;
  readonly examples: readonly Record<string, unknown>[];
}

const definitions = createRequire(import.meta.url)("@octokit/webhooks-examples") as WebhookDefinition[];

/** The first example of `event` (with `action`, when given) that `accept` takes. */
function example(
  event: string,
  action?: string,
  accept: (p: Record<string, unknown>) => boolean = () => true,
) {
  const found = definitions
    .find((d) => d.name === event)
    ?.examples.find((p) => (action === undefined || p.action === action) && accept(p));
  if (found === undefined) throw new Error(`no example of ${event} ${action ?? ""}`);
  return found;
}

const SECRET = "It's a Secret to Everybody";
const OLD_SECRET = "the one before";

const CONFIG: GatewayConfig = {
  ingest: {
    sources: [
      { path: "/hooks/github", type: "github", secrets: [SECRET, OLD_SECRET] },
      { path: "/hooks/open", type: "github" },
    ],
  },
};

function githubGateway(config: GatewayConfig = CONFIG) {
  const memory = createMemoryAdapter();
  const reports: GatewayReport[] = [];
  const gateway = createGateway(
    { routes: [{ name: "all", to: ["memory"] }], ...config },
    { targets: { memory }, observer: { report: (r) => reports.push(r) } },
  );
  return {
    gateway,
    received: () => memory.events().map((stored) => stored.event),
    /** What the log says about refused requests. */
    rejections: () => reports.flatMap((r) => (r.stage === "rejected" ? [r.detail] : [])),
  };
}

interface Delivery {
  readonly event: string;
  readonly body: string;
  readonly delivery?: string;
  /** Signed with SECRET unless given; null sends no signature header. */
  readonly signature?: string | null;
  readonly contentType?: string;
  readonly headers?: Record<string, string>;
  readonly path?: string;
}

async function deliver(gateway: ReturnType<typeof githubGateway>["gateway"], d: Delivery) {
  const signature = d.signature === undefined ? await sign(SECRET, d.body) : d.signature;
  const headers: Record<string, string> = {
    "content-type": d.contentType ?? "application/json",
    "x-github-event": d.event,
    "x-github-delivery": d.delivery ?? "72d3162e-cc78-11e3-81ab-4c9367dc0958",
    "x-github-hook-id": "292430182",
    "user-agent": "GitHub-Hookshot/044aadd",
    ...(signature === null ? {} : { "x-hub-signature-256": signature }),
    ...d.headers,
  };
  return (await gateway.request(d.path ?? "/hooks/github", {
    method: "POST",
    headers,
    body: d.body,
  })) as Response;
}

/** How GitHub form-encodes a payload (its default content type). */
const formOf = (json: string) => new URLSearchParams({ payload: json }).toString();
const FORM = "application/x-www-form-urlencoded";

describe("github source: GitHub's example deliveries", () => {
  const byEvent = definitions.filter((d) => d.name !== "ping").map((d) => [d.name, d] as const);

  it("has examples of many event types to check against", () => {
    expect(byEvent.length).toBeGreaterThan(50);
  });

  it.each(byEvent)("maps every %s example to a valid CloudEvent", async (name, definition) => {
    const { gateway, received } = githubGateway();
    for (const [i, payload] of definition.examples.entries()) {
      const body = JSON.stringify(payload);
      const response = await deliver(gateway, { event: name, body, delivery: `${name}-${i}` });
      expect(response.status, `${name} example ${i}: ${await response.clone().text()}`).toBe(202);
      const event = received().at(-1);
      expect(event?.attributes).toMatchObject({
        specversion: "1.0",
        id: `${name}-${i}`,
        datacontenttype: "application/json",
      });
      expect(event?.attributes.type).toMatch(/^com\.github\.[a-z0-9_]+(\.[^.]+)*$/);
      expect(text(event?.data?.bytes)).toBe(body);
      expect(Object.fromEntries(event?.extensions ?? [])).toEqual({ githubhookid: "292430182" });
    }
    expect(received()).toHaveLength(definition.examples.length);
    await gateway.close();
  });

  const REPO = "https://api.github.com/repos/Codertocat/Hello-World";
  // Expected values read from the payloads and the CloudEvents GitHub adapter document.
  it.each([
    [
      "check_run",
      example("check_run", "created"),
      // completed_at is null until the run completes: the adapter falls back to started_at.
      {
        type: "com.github.check_run.created",
        source: REPO,
        subject: "128620228",
        time: "2019-05-15T15:21:12Z",
      },
    ],
    [
      "commit_comment",
      example("commit_comment", "created"),
      {
        type: "com.github.commit_comment.created",
        source: `${REPO}/comments/33548674/6113728f27ae82c7b1a177c8d03f9e96e0adf246`,
        subject: "33548674",
        time: "2019-05-15T15:20:39Z",
      },
    ],
    ["create", example("create"), { type: "com.github.create.tag", source: REPO, subject: "simple-tag" }],
    [
      "deployment",
      example("deployment", "created"),
      { type: "com.github.deployment", source: REPO, subject: "145988746", time: "2019-05-15T15:20:53Z" },
    ],
    [
      "deployment_status",
      example(
        "deployment_status",
        "created",
        (p) => (p.deployment_status as { state: string }).state === "success",
      ),
      {
        type: "com.github.deployment_status.success",
        source: `${REPO}/deployments/145988746`,
        subject: `${REPO}/deployments/145988746/statuses/209916254`,
        time: "2019-05-15T15:20:55Z",
      },
    ],
    [
      "installation",
      example("installation", "deleted"),
      // No repository; updated_at comes as epoch seconds and is converted.
      {
        type: "com.github.installation.deleted",
        source: "https://api.github.com/users/octocat",
        subject: "2",
        time: "2018-04-30T17:38:19Z",
      },
    ],
    [
      "installation",
      example("installation", "suspend"),
      { type: "com.github.installation.suspend", time: "2021-04-28T22:32:50.000-04:00" },
    ],
    [
      "installation_repositories",
      example("installation_repositories", "added"),
      {
        type: "com.github.installation_repository.added",
        source: "https://api.github.com/users/Codertocat",
        subject: "957387",
        time: "2019-05-15T15:19:51Z",
      },
    ],
    [
      "issues",
      example("issues", "opened"),
      { type: "com.github.issue.opened", source: REPO, subject: "1", time: "2019-05-15T15:20:18Z" },
    ],
    [
      "marketplace_purchase",
      example("marketplace_purchase", "purchased"),
      {
        type: "com.github.marketplace_purchase.purchased",
        source: "https://api.github.com/users",
        subject: "username",
        time: "2017-10-25T00:00:00+00:00",
      },
    ],
    [
      "membership",
      example("membership", "added"),
      {
        type: "com.github.membership.team.added",
        source: "https://api.github.com/teams/3253328",
        subject: "Codertocat",
      },
    ],
    [
      "membership",
      example("membership", "removed", (p) => (p.team as { url?: string }).url === undefined),
      // A deleted team has no URL: the organization is the source.
      { type: "com.github.membership.team.removed", source: "https://api.github.com/orgs/Octocoders" },
    ],
    [
      "organization",
      example("organization", "member_invited"),
      { type: "com.github.organization.member_invited", source: "https://api.github.com/orgs/Octocoders" },
    ],
    [
      "push",
      example("push"),
      // Push payloads carry the repository's html URL as repository.url.
      {
        type: "com.github.push",
        source: "https://github.com/Codertocat/Hello-World",
        subject: "refs/tags/simple-tag",
      },
    ],
    [
      "release",
      example("release", "published"),
      { type: "com.github.release.published", subject: "17372790", time: "2019-05-15T15:20:53Z" },
    ],
    [
      "security_advisory",
      example("security_advisory", "published"),
      {
        type: "com.github.security_advisory.published",
        source: "https://github.com",
        subject: "GHSA-rf4j-j272-fj86",
        time: "2018-10-03T21:13:54Z",
      },
    ],
    [
      "status",
      example("status"),
      {
        type: "com.github.status.success",
        source: REPO,
        subject: "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
        time: "2019-05-15T15:20:55+00:00",
      },
    ],
    [
      "team",
      example("team", "created"),
      {
        type: "com.github.team.created",
        source: "https://api.github.com/orgs/Octocoders",
        subject: "3253328",
      },
    ],
    [
      "team_add",
      example("team_add"),
      {
        type: "com.github.team_add",
        source: "https://api.github.com/repos/Octocoders/Hello-World",
        subject: "3253328",
      },
    ],
    [
      "sponsorship",
      example("sponsorship", "created"),
      { type: "com.github.sponsorship.created", source: "https://api.github.com/users/octocat" },
    ],
    [
      "github_app_authorization",
      example("github_app_authorization", "revoked"),
      { type: "com.github.github_app_authorization", source: "https://api.github.com/users/octocat" },
    ],
    [
      "public",
      example("public"),
      {
        type: "com.github.public",
        source: "https://api.github.com/users/Codertocat",
        subject: "Hello-World",
        time: "2019-05-15T15:21:03Z",
      },
    ],
    [
      "pull_request",
      example("pull_request", "opened"),
      { type: "com.github.pull_request.opened", source: REPO, subject: "2", time: "2019-05-15T15:20:33Z" },
    ],
    [
      "workflow_run",
      example("workflow_run", "completed"),
      {
        type: "com.github.workflow_run.completed",
        source: REPO,
        subject: "1589141559",
        time: "2021-12-16T19:37:22Z",
      },
    ],
    [
      "repository_dispatch",
      example("repository_dispatch", "on-demand-test"),
      // Not in the adapter, no rule of ours: the event and its action, and the repository.
      {
        type: "com.github.repository_dispatch.on-demand-test",
        source: "https://api.github.com/repos/octo-org/octo-repo",
      },
    ],
  ])("maps %s as the adapter says: %#", async (event, payload, expected) => {
    const { gateway, received } = githubGateway();
    expect((await deliver(gateway, { event, body: JSON.stringify(payload) })).status).toBe(202);
    expect(received()[0]?.attributes).toMatchObject(expected);
    await gateway.close();
  });

  it.each([
    ["a release edited (the payload has no time of the edit)", "release", example("release", "edited")],
    ["a star removed (starred_at is null)", "star", example("star", "deleted")],
    ["a push (the adapter's time is the current time)", "push", example("push")],
  ])("sets no time for %s rather than invent one", async (_what, event, payload) => {
    const { gateway, received } = githubGateway();
    expect((await deliver(gateway, { event, body: JSON.stringify(payload) })).status).toBe(202);
    expect(received()[0]?.attributes.time).toBeUndefined();
    await gateway.close();
  });

  it("leaves out a time that is not RFC 3339 instead of refusing the delivery", async () => {
    const { gateway, received } = githubGateway();
    const payload = {
      ...example("check_suite", "completed"),
      check_suite: { id: 1, updated_at: "yesterday" },
    };
    expect((await deliver(gateway, { event: "check_suite", body: JSON.stringify(payload) })).status).toBe(
      202,
    );
    expect(received()[0]?.attributes).toMatchObject({
      type: "com.github.check_suite.completed",
      subject: "1",
    });
    expect(received()[0]?.attributes.time).toBeUndefined();
    await gateway.close();
  });

  it("falls back to https://github.com when a payload names nothing that has a URL", async () => {
    const { gateway, received } = githubGateway();
    expect((await deliver(gateway, { event: "brand_new_event", body: '{"action":"happened"}' })).status).toBe(
      202,
    );
    expect(received()[0]?.attributes).toMatchObject({
      type: "com.github.brand_new_event.happened",
      source: "https://github.com",
    });
    await gateway.close();
  });
});

describe("github source: bodies", () => {
  it("takes GitHub's default form encoding, signed over the form bytes, with the JSON payload as data", async () => {
    const { gateway, received } = githubGateway();
    const json = JSON.stringify(example("issues", "opened"));
    const form = formOf(json);
    expect(form).toContain("+"); // spaces in the payload travel as "+"
    const response = await deliver(gateway, { event: "issues", body: form, contentType: FORM });
    expect(response.status).toBe(202);
    expect(text(received()[0]?.data?.bytes)).toBe(json);
    expect(received()[0]?.attributes).toMatchObject({ type: "com.github.issue.opened", subject: "1" });
    await gateway.close();
  });

  it("refuses a form body signed over its decoded JSON instead of its bytes", async () => {
    const { gateway, received } = githubGateway();
    const json = JSON.stringify(example("issues", "opened"));
    const response = await deliver(gateway, {
      event: "issues",
      body: formOf(json),
      contentType: FORM,
      signature: await sign(SECRET, json),
    });
    expect(response.status).toBe(401);
    expect(received()).toEqual([]);
    await gateway.close();
  });

  it("keeps a JSON body's bytes as the data (number formatting, key order, unicode escapes)", async () => {
    const { gateway, received } = githubGateway();
    const body =
      '{"action":"created","total":1.50,"note":"caf\\u00e9","repository":{"url":"https://api.github.com/repos/o/r"}}';
    expect((await deliver(gateway, { event: "custom", body })).status).toBe(202);
    expect(text(received()[0]?.data?.bytes)).toBe(body);
    await gateway.close();
  });

  it.each([
    ["a form without a payload field", FORM, "other=1", 400, "malformed-body"],
    ["a form with two payload fields", FORM, "payload=%7B%7D&payload=%7B%7D", 400, "malformed-body"],
    ["JSON that does not parse", "application/json", '{"action":', 400, "malformed-body"],
    ["a JSON list", "application/json", "[{}]", 400, "malformed-body"],
    ["a form payload that is not JSON", FORM, "payload=nope", 400, "malformed-body"],
    ["another content type", "text/plain", "{}", 415, "unsupported-media-type"],
  ])("refuses %s (signed correctly)", async (_what, contentType, body, status, code) => {
    const { gateway, received } = githubGateway();
    const response = await deliver(gateway, { event: "issues", body, contentType });
    expect(response.status).toBe(status);
    expect((await problemOf(response)).code).toBe(code);
    expect(received()).toEqual([]);
    await gateway.close();
  });
});

describe("github source: signatures", () => {
  const body = JSON.stringify(example("issues", "opened"));

  it("accepts both secrets while both are configured (rotation)", async () => {
    const { gateway, received } = githubGateway();
    expect(
      (await deliver(gateway, { event: "issues", body, signature: await sign(SECRET, body) })).status,
    ).toBe(202);
    expect(
      (await deliver(gateway, { event: "issues", body, signature: await sign(OLD_SECRET, body) })).status,
    ).toBe(202);
    expect(received()).toHaveLength(2);
    await gateway.close();
  });

  it("accepts upper-case hex", async () => {
    const { gateway } = githubGateway();
    const hex = (await sign(SECRET, body)).slice("sha256=".length);
    const signature = `sha256=${hex.toUpperCase()}`;
    expect((await deliver(gateway, { event: "issues", body, signature })).status).toBe(202);
    await gateway.close();
  });

  it.each([
    ["no signature", async () => null, /no X-Hub-Signature-256/],
    ["another secret", () => sign("not ours", body), /matches none of the 2/],
    ["a signature of another body", () => sign(SECRET, body.replace("opened", "closed")), /matches none/],
    ["a truncated signature", async () => (await sign(SECRET, body)).slice(0, -2), /not sha256=/],
    ["no sha256= prefix", async () => (await sign(SECRET, body)).slice("sha256=".length), /not sha256=/],
    ["a sha1= signature in the SHA-256 header", async () => `sha1=${"0".repeat(40)}`, /not sha256=/],
    ["non-hex digits", async () => `sha256=${"z".repeat(64)}`, /not sha256=/],
  ])("refuses %s with 401 and says why only in the log", async (_what, signature, reason) => {
    const { gateway, received, rejections } = githubGateway();
    const response = await deliver(gateway, { event: "issues", body, signature: await signature() });
    expect(response.status).toBe(401);
    const problem = await problemOf(response);
    expect(problem.code).toBe("source-unauthenticated");
    expect(problem.detail).toBe("The request's signature could not be verified");
    expect(rejections()).toEqual([expect.stringMatching(reason)]);
    expect(received()).toEqual([]);
    await gateway.close();
  });

  it("refuses a body changed after signing", async () => {
    const { gateway, received } = githubGateway();
    const signature = await sign(SECRET, body);
    const changed = body.replace('"opened"', '"closed"');
    expect(changed).not.toBe(body);
    expect((await deliver(gateway, { event: "issues", body: changed, signature })).status).toBe(401);
    expect(received()).toEqual([]);
    await gateway.close();
  });

  it("does not accept the legacy SHA-1 X-Hub-Signature alone, even when it is right", async () => {
    const { createHmac } = await import("node:crypto");
    const { gateway, rejections } = githubGateway();
    const sha1 = `sha1=${createHmac("sha1", SECRET).update(body).digest("hex")}`;
    const response = await deliver(gateway, {
      event: "issues",
      body,
      signature: null,
      headers: { "x-hub-signature": sha1 },
    });
    expect(response.status).toBe(401);
    expect(rejections()).toEqual([expect.stringMatching(/only the SHA-1 X-Hub-Signature/)]);
    await gateway.close();
  });

  it("checks the signature before the headers, so an unsigned request learns nothing", async () => {
    const { gateway } = githubGateway();
    const response = (await gateway.request("/hooks/github", { method: "POST", body: "{}" })) as Response;
    expect(response.status).toBe(401);
    await gateway.close();
  });

  it("checks nothing on a source without secrets", async () => {
    const { gateway, received } = githubGateway();
    const response = await deliver(gateway, { event: "issues", body, signature: null, path: "/hooks/open" });
    expect(response.status).toBe(202);
    expect(received()).toHaveLength(1);
    await gateway.close();
  });
});

describe("github source: deliveries", () => {
  const body = JSON.stringify(example("issues", "opened"));

  it("answers a ping 200 without routing it, after checking its signature", async () => {
    const { gateway, received } = githubGateway();
    const ping = example("ping");
    const response = await deliver(gateway, {
      event: "ping",
      body: formOf(JSON.stringify(ping)),
      contentType: FORM,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ pong: true, zen: ping.zen });
    expect(received()).toEqual([]);
    const forged = await deliver(gateway, {
      event: "ping",
      body: JSON.stringify(ping),
      signature: await sign("x", "y"),
    });
    expect(forged.status).toBe(401);
    await gateway.close();
  });

  it("uses X-GitHub-Delivery as the id, so a redelivery is the same event", async () => {
    const { gateway, received } = githubGateway();
    await deliver(gateway, { event: "issues", body, delivery: "d-1" });
    await deliver(gateway, { event: "issues", body, delivery: "d-1" });
    await deliver(gateway, { event: "issues", body, delivery: "d-2" });
    expect(received().map((e) => [e.attributes.id, e.attributes.source])).toEqual([
      ["d-1", "https://api.github.com/repos/Codertocat/Hello-World"],
      ["d-1", "https://api.github.com/repos/Codertocat/Hello-World"],
      ["d-2", "https://api.github.com/repos/Codertocat/Hello-World"],
    ]);
    await gateway.close();
  });

  it.each([
    [{ "x-github-event": "" }, ["x-github-event"]],
    [{ "x-github-delivery": "" }, ["x-github-delivery"]],
    [{ "x-github-event": "", "x-github-delivery": "" }, ["x-github-event", "x-github-delivery"]],
  ])("refuses a signed request without %j with 400 naming the header", async (blank, named) => {
    const { gateway, received } = githubGateway();
    const headers = { "x-hub-signature-256": await sign(SECRET, body), "content-type": "application/json" };
    for (const [name, value] of Object.entries({
      "x-github-event": "issues",
      "x-github-delivery": "d",
      ...blank,
    })) {
      if (value !== "") Object.assign(headers, { [name]: value });
    }
    const response = (await gateway.request("/hooks/github", { method: "POST", headers, body })) as Response;
    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem.code).toBe("unmappable-request");
    expect(problem.errors?.map((e) => [e.header, e.code])).toEqual(named.map((h) => [h, "missing-header"]));
    expect(received()).toEqual([]);
    await gateway.close();
  });

  it("refuses an X-GitHub-Event that is no event name", async () => {
    const { gateway } = githubGateway();
    const response = await deliver(gateway, { event: "issues opened", body });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors).toEqual([
      expect.objectContaining({ header: "x-github-event", code: "invalid-header" }),
    ]);
    await gateway.close();
  });

  it("lets the event mapping take the place of built-in attributes", async () => {
    const { gateway, received } = githubGateway({
      ingest: {
        sources: [
          {
            path: "/hooks/github",
            type: "github",
            secrets: [SECRET],
            event: {
              type: "'com.example.github.' & headers.\"x-github-event\"",
              subject: "body.repository.full_name",
              repo: "body.repository.name",
              // Yields nothing for this delivery: the built-in time stays.
              time: "body.not_here",
            },
          },
        ],
      },
    });
    expect((await deliver(gateway, { event: "issues", body })).status).toBe(202);
    const [event] = received();
    expect(event?.attributes).toMatchObject({
      type: "com.example.github.issues",
      subject: "Codertocat/Hello-World",
      // Not mapped: still the built-in ones.
      id: "72d3162e-cc78-11e3-81ab-4c9367dc0958",
      source: "https://api.github.com/repos/Codertocat/Hello-World",
      time: "2019-05-15T15:20:18Z",
    });
    expect(Object.fromEntries(event?.extensions ?? [])).toEqual({
      repo: "Hello-World",
      githubhookid: "292430182",
    });
    await gateway.close();
  });

  it("refuses, naming the attribute, a mapping whose value the core spec refuses", async () => {
    const { gateway } = githubGateway({
      ingest: {
        sources: [
          { path: "/hooks/github", type: "github", secrets: [SECRET], event: { time: "body.action" } },
        ],
      },
    });
    const response = await deliver(gateway, { event: "issues", body });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors).toEqual([
      expect.objectContaining({ pointer: "/time", code: "invalid-time" }),
    ]);
    await gateway.close();
  });
});

describe("github source: through a real HTTP server", () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("takes a signed form-encoded delivery as GitHub sends it", async () => {
    const { gateway, received } = githubGateway();
    const server = createServer(gatewayListener(gateway));
    servers.push(server);
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/github`;
    const json = JSON.stringify(example("pull_request", "opened"));
    const form = formOf(json);
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": FORM,
        "x-github-event": "pull_request",
        "x-github-delivery": "0b989ba4-242f-11e5-81e1-c7b6966d2516",
        "x-hub-signature-256": await sign(SECRET, form),
      },
      body: form,
    });
    expect(response.status).toBe(202);
    expect(received()[0]?.attributes).toMatchObject({
      id: "0b989ba4-242f-11e5-81e1-c7b6966d2516",
      type: "com.github.pull_request.opened",
    });
    expect(text(received()[0]?.data?.bytes)).toBe(json);
    await gateway.close();
  });
});

describe("github source in the config", () => {
  const withSource = (...source: string[]) =>
    [
      "targets: { out: { type: stdout } }",
      "routes: [{ name: all, to: [out] }]",
      "ingest:",
      "  sources:",
      ...source,
      "",
    ].join("\n");

  const issuesOf = (yaml: string): ConfigIssue[] =>
    configIssues(yaml, { env: { GITHUB_WEBHOOK_SECRET: "s3cret" } });

  it("accepts the documented config", () => {
    const config = parseConfig(
      withSource(
        "    - path: /hooks/github",
        "      type: github",
        '      secrets: ["${env:GITHUB_WEBHOOK_SECRET}"]',
        "      event:",
        '        subject: "body.repository.full_name"',
      ),
      { catalog: nodeTargets, env: { GITHUB_WEBHOOK_SECRET: "s3cret" } },
    );
    expect(config.ingest?.sources?.[0]).toMatchObject({ type: "github", secrets: ["s3cret"] });
  });

  it.each([
    [
      ["    - { path: /h, type: github, secrets: [] }"],
      "ingest.sources[0].secrets",
      /fewer than 1|at least 1|minItems|1 item/,
    ],
    [
      ['    - { path: /h, type: github, secrets: [""] }'],
      "ingest.sources[0].secrets[0]",
      /fewer than 1|at least 1|shorter/,
    ],
    [["    - { path: /h, type: github, secrets: s3cret }"], "ingest.sources[0].secrets", /array/],
    [["    - { path: /h, type: github, secret: s3cret }"], "ingest.sources[0].secret", /secret/],
    [
      ['    - { path: /h, type: github, event: { subject: "body.(" } }'],
      "ingest.sources[0].event.subject",
      /Expected/,
    ],
  ])("refuses %j at %s", (source, path, message) => {
    expect(issuesOf(withSource(...source))).toContainEqual(
      expect.objectContaining({ path, message: expect.stringMatching(message) }),
    );
  });

  it("refuses a secret from an environment variable that is not set", () => {
    const issues = issuesOf(
      withSource("    - path: /h", "      type: github", '      secrets: ["${env:NOT_SET_ANYWHERE}"]'),
    );
    expect(issues).toContainEqual(
      expect.objectContaining({ message: expect.stringMatching(/NOT_SET_ANYWHERE/) }),
    );
  });
});
