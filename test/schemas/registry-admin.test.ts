/**
 * The registry API on the admin listener of a running gateway: list, read,
 * register compatible versions (written to the schema folder and enforced at
 * once) and refuse incompatible ones with 409.
 */
import { cpSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot, type RunningCli, startCli } from "../support/cli-process.js";

const TOKEN = "registry-admin-token-123456";
let cli: RunningCli;
let admin: string;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "ce-gateway-registry-"));
  cpSync(join(projectRoot, "examples/shop/schemas"), join(dir, "schemas"), { recursive: true });
  writeFileSync(
    join(dir, "gateway.yaml"),
    `admin: { port: 0, token: ${TOKEN} }\ntargets: { out: { type: stdout } }\nroutes: [{ name: all, to: [out] }]\nschemas: { dir: ./schemas, compatibility: BACKWARD }\n`,
  );
  cli = await startCli(["serve", "--config", join(dir, "gateway.yaml"), "--port", "0"]);
  admin = /"adminUrl":"(http:[^"]+)"/.exec(cli.stderr())?.[1] ?? "";
}, 30_000);
afterAll(() => cli?.stop("SIGKILL"));

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${admin}/schemagroups/events/schemas${path}`, {
    ...init,
    headers: { authorization: `Bearer ${TOKEN}`, ...init.headers },
  });

const order = (data: unknown) =>
  fetch(`${cli.url}/events`, {
    method: "POST",
    headers: { "content-type": "application/cloudevents+json" },
    body: JSON.stringify({
      specversion: "1.0",
      id: "o",
      source: "/shop/eu/x",
      type: "com.example.order.created",
      data,
    }),
  });

describe("the registry API", () => {
  it("lists types and versions and returns a version's schema", async () => {
    const types = await (await api("")).json();
    expect(types["com.example.order.created"]).toMatchObject({ versionscount: 2, latestversionid: "2" });
    const versions = await (await api("/com.example.order.created/versions")).json();
    expect(Object.keys(versions)).toEqual(["1", "2"]);
    const v1 = await api("/com.example.order.created/versions/1");
    expect(v1.headers.get("content-type")).toBe("application/schema+json");
    expect((await v1.json()).$id).toBe("https://schemas.example.com/order-created/1");
    expect((await api("/nope/versions")).status).toBe(404);
  });

  it("registers a compatible version, stores it and enforces it at once", async () => {
    const v3 = {
      $id: "https://schemas.example.com/order-created/3",
      type: "object",
      required: ["orderId", "total"],
      properties: {
        orderId: { type: "integer", minimum: 1 },
        total: { $ref: "https://schemas.example.com/money/1" },
        channel: { enum: ["web", "store", "phone", "app"] },
      },
    };
    const total = { amount: 1, currency: "EUR" };
    expect((await order({ orderId: 1, total, channel: "app" })).status).toBe(422);
    const response = await api("/com.example.order.created/versions", {
      method: "POST",
      body: JSON.stringify(v3),
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ versionid: "3", id: v3.$id });
    expect(existsSync(join(dir, "schemas/com.example.order.created/3.json"))).toBe(true);
    expect((await order({ orderId: 1, total, channel: "app" })).status).toBe(202);
    expect((await order({ orderId: 1, total, channel: "fax" })).status).toBe(422);
  });

  it("refuses a constrained new property on an open model: old data may hold anything there", async () => {
    const v = {
      type: "object",
      required: ["orderId", "total"],
      properties: {
        orderId: { type: "integer", minimum: 1 },
        total: { $ref: "https://schemas.example.com/money/1" },
        channel: { enum: ["web", "store", "phone", "app"] },
        note: { type: "string", maxLength: 10 },
      },
    };
    const response = await api("/com.example.order.created/versions", {
      method: "POST",
      body: JSON.stringify(v),
    });
    expect(response.status).toBe(409);
    expect((await response.json()).errors[0]).toMatchObject({ pointer: "/properties/note" });
  });

  it("refuses an incompatible version with 409 and the breaking changes", async () => {
    const breaking = {
      $id: "https://schemas.example.com/order-created/4",
      type: "object",
      required: ["orderId", "total", "customer"],
      properties: { orderId: { type: "string" }, total: { type: "object" }, customer: { type: "string" } },
    };
    const response = await api("/com.example.order.created/versions", {
      method: "POST",
      body: JSON.stringify(breaking),
    });
    expect(response.status).toBe(409);
    const problem = await response.json();
    expect(problem.code).toBe("schema-incompatible");
    expect(problem.errors.length).toBeGreaterThan(0);
    expect(problem.errors.map((e: { pointer: string }) => e.pointer).join(" ")).toMatch(/required|orderId/);
    expect(existsSync(join(dir, "schemas/com.example.order.created/4.json"))).toBe(false);
  });

  it("refuses a body that is not a usable schema with 422, and requests without the token with 401", async () => {
    const invalid = await api("/com.example.other/versions", {
      method: "POST",
      body: JSON.stringify({ type: "no-such-type" }),
    });
    expect(invalid.status).toBe(422);
    expect((await fetch(`${admin}/schemagroups/events/schemas`)).status).toBe(401);
  });
});
