/**
 * The requests the end-to-end test sends to every runtime, and what each must
 * become: one config with a source of every type, delivering to an HTTP receiver.
 */
import { createHmac } from "node:crypto";
import { expect } from "vitest";

export const SOURCES_CONFIG = `version: 1
targets:
  hook: { type: http, url: "\${env:HOOK_URL}/sources", mode: structured }
routes:
  - name: all
    to: [hook]
ingest:
  sources:
    - path: /hooks/orders
      type: json
      event:
        type: "'com.example.order.created'"
        source: "'/shop'"
        id: "body.orderId"
        subject: "body.customer.id"
    - path: /hooks/github
      type: github
      secrets: ["\${env:GITHUB_OLD_SECRET}", "\${env:GITHUB_SECRET}"]
`;

const GITHUB_SECRET = "github-secret-for-tests";

export const sourceSettings = (hookUrl: string): Record<string, string> => ({
  HOOK_URL: hookUrl,
  GITHUB_SECRET,
  GITHUB_OLD_SECRET: "github-old-secret",
});

const hmacHex = (secret: string, body: string) => createHmac("sha256", secret).update(body).digest("hex");

export interface SourceCase {
  readonly name: string;
  request(): { path: string; headers: Record<string, string>; body: string };
  readonly status: number;
  /** Where the receiver gets the event; absent: nothing may be delivered. */
  readonly deliveredTo?: string;
  check?(delivered: Record<string, unknown>[], answer: string): void;
}

const ORDER = '{"orderId": 1001, "customer": {"id": "c-7"}, "total": 12.50}';

const ISSUE_OPENED = JSON.stringify({
  action: "opened",
  issue: { number: 7, updated_at: "2026-11-30T10:00:00Z" },
  repository: { url: "https://api.github.com/repos/octo/hello" },
});

const githubHeaders = (event: string, body: string, secret = GITHUB_SECRET): Record<string, string> => ({
  "content-type": "application/json",
  "x-github-event": event,
  "x-github-delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958",
  "x-hub-signature-256": `sha256=${hmacHex(secret, body)}`,
});

export const SOURCE_CASES: readonly SourceCase[] = [
  {
    name: "json: a plain JSON order becomes a CloudEvent with its data byte for byte",
    request: () => ({ path: "/hooks/orders", headers: { "content-type": "application/json" }, body: ORDER }),
    status: 202,
    deliveredTo: "/sources",
    check(delivered) {
      expect(delivered).toHaveLength(1);
      expect(delivered[0]).toMatchObject({
        specversion: "1.0",
        id: "1001",
        type: "com.example.order.created",
        source: "/shop",
        subject: "c-7",
        datacontenttype: "application/json",
        data: { orderId: 1001, total: 12.5 },
      });
    },
  },
  {
    name: "json: a mapping that yields nothing for a required attribute is a 400 naming it",
    request: () => ({ path: "/hooks/orders", headers: { "content-type": "application/json" }, body: "{}" }),
    status: 400,
    check(_delivered, answer) {
      expect(JSON.parse(answer)).toMatchObject({ code: "unmappable-request", errors: [{ pointer: "/id" }] });
    },
  },

  {
    name: "github: a signed issues delivery becomes com.github.issue.opened",
    request: () => ({
      path: "/hooks/github",
      headers: githubHeaders("issues", ISSUE_OPENED),
      body: ISSUE_OPENED,
    }),
    status: 202,
    deliveredTo: "/sources",
    check(delivered) {
      expect(delivered).toHaveLength(1);
      expect(delivered[0]).toMatchObject({
        id: "72d3162e-cc78-11e3-81ab-4c9367dc0958",
        type: "com.github.issue.opened",
        source: "https://api.github.com/repos/octo/hello",
        subject: "7",
        time: "2026-11-30T10:00:00Z",
      });
    },
  },
  {
    name: "github: form-encoded, signed with the secret being rotated out",
    request: () => {
      const body = `payload=${encodeURIComponent(ISSUE_OPENED)}`;
      return {
        path: "/hooks/github",
        headers: {
          ...githubHeaders("issues", body, "github-old-secret"),
          "content-type": "application/x-www-form-urlencoded",
        },
        body,
      };
    },
    status: 202,
    deliveredTo: "/sources",
    check(delivered) {
      expect(delivered[0]).toMatchObject({ type: "com.github.issue.opened", data: JSON.parse(ISSUE_OPENED) });
    },
  },
  {
    name: "github: a wrong signature is a 401 that says nothing more",
    request: () => ({
      path: "/hooks/github",
      headers: githubHeaders("issues", ISSUE_OPENED, "not-the-secret"),
      body: ISSUE_OPENED,
    }),
    status: 401,
    check(_delivered, answer) {
      const problem = JSON.parse(answer);
      expect(problem.code).toBe("source-unauthenticated");
      expect(problem.errors).toBeUndefined();
    },
  },
  {
    name: "github: ping is answered 200 and not routed",
    request: () => {
      const body = JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1 });
      return { path: "/hooks/github", headers: githubHeaders("ping", body), body };
    },
    status: 200,
  },
];
