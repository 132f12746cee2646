/**
 * The schema registry at ingress, through HTTP: which schema applies, the
 * enforce / warn / off modes, how data is read, and the problems it answers.
 */
import { describe, expect, it } from "vitest";
import { createMemoryAdapter } from "../../adapters/memory/index.js";
import { createGateway } from "../../src/entries/node/create-gateway.js";
import type { GatewayReport } from "../../src/observe/observer.js";
import { registryValidator, type ValidationPolicy } from "../../src/schemas/registry-validator.js";
import { createAjvCompiler } from "../../src/schemas/schema-compiler.js";
import { SchemaRegistry } from "../../src/schemas/schema-registry.js";
import { toSchemaVersion } from "../../src/schemas/schema-version.js";
import { BATCH, binaryHeaders, problemOf, STRUCTURED, structuredEvent } from "../support/gateway.js";

const ORDER = "com.example.order.created";
const money = toSchemaVersion("com.example.money", 1, {
  $id: "https://schemas.example/money/1",
  type: "object",
  required: ["amount", "currency"],
  properties: { amount: { type: "number" }, currency: { type: "string", pattern: "^[A-Z]{3}$" } },
});
const orderV1 = toSchemaVersion(ORDER, 1, {
  $id: "https://schemas.example/order/1",
  type: "object",
  required: ["orderId"],
  properties: { orderId: { type: "integer" }, total: { $ref: "https://schemas.example/money/1" } },
});
const orderV2 = toSchemaVersion(ORDER, 2, {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "https://schemas.example/order/2",
  type: "object",
  required: ["orderId", "channel"],
  properties: { orderId: { type: "integer" }, channel: { enum: ["web", "store"] } },
  additionalProperties: false,
});

function gatewayWith(policy: Partial<ValidationPolicy> = {}) {
  const registry = new SchemaRegistry(createAjvCompiler(), [money, orderV1, orderV2]);
  const reports: GatewayReport[] = [];
  const memory = createMemoryAdapter();
  const gateway = createGateway(
    { routes: [{ name: "all", to: ["m"] }] },
    {
      targets: { m: memory },
      validator: registryValidator(registry, { mode: "enforce", requireSchema: false, types: {}, ...policy }),
      observer: { report: (r) => reports.push(r) },
    },
  );
  const send = (data: unknown, attributes: Record<string, unknown> = {}) =>
    gateway.request("/events", {
      method: "POST",
      headers: STRUCTURED,
      body: JSON.stringify(
        structuredEvent({ type: ORDER, datacontenttype: "application/json", data, ...attributes }),
      ),
    });
  return { gateway, memory, reports, send, registry };
}

describe("enforce mode", () => {
  it("accepts data valid under the latest version when no dataschema is given", async () => {
    const { send, memory } = gatewayWith();
    expect((await send({ orderId: 7, channel: "web" })).status).toBe(202);
    expect(memory.events()).toHaveLength(1);
  });

  it("refuses invalid data with 422, listing each violation with its pointer", async () => {
    const { send, memory } = gatewayWith();
    const response = await send({ orderId: "seven", extra: true });
    expect(response.status).toBe(422);
    const problem = await problemOf(response);
    expect(problem.code).toBe("contract-violation");
    expect(problem.errors?.map((e) => [e.pointer, e.code])).toEqual(
      expect.arrayContaining([
        ["/data", "schema-violation"],
        ["/data/orderId", "schema-violation"],
      ]),
    );
    expect(problem.errors?.find((e) => e.pointer === "/data")?.detail).toMatch(/channel|extra/);
    expect(memory.events()).toHaveLength(0);
  });

  it("validates against the version dataschema names, with $ref across files", async () => {
    const { send } = gatewayWith();
    const v1 = { dataschema: "https://schemas.example/order/1" };
    expect((await send({ orderId: 1, total: { amount: 9.5, currency: "EUR" } }, v1)).status).toBe(202);
    const bad = await send({ orderId: 1, total: { amount: 9.5, currency: "euro" } }, v1);
    expect(bad.status).toBe(422);
    expect((await problemOf(bad)).errors?.[0]?.pointer).toBe("/data/total/currency");
  });

  it("refuses a dataschema the registry does not know", async () => {
    const { send } = gatewayWith();
    const response = await send({ orderId: 1 }, { dataschema: "https://schemas.example/order/99" });
    expect(response.status).toBe(422);
    expect((await problemOf(response)).errors?.[0]).toMatchObject({
      pointer: "/dataschema",
      code: "unknown-dataschema",
    });
  });

  it("points into the batch for batched events", async () => {
    const { gateway } = gatewayWith();
    const batch = [
      structuredEvent({ id: "a", type: ORDER, data: { orderId: 1, channel: "web" } }),
      structuredEvent({ id: "b", type: ORDER, data: { orderId: 2, channel: "fax" } }),
    ];
    const response = await gateway.request("/events", {
      method: "POST",
      headers: BATCH,
      body: JSON.stringify(batch),
    });
    expect(response.status).toBe(422);
    expect((await problemOf(response)).errors).toEqual([
      expect.objectContaining({ index: 1, pointer: "/1/data/channel", code: "schema-violation" }),
    ]);
  });

  it("reads JSON data in binary mode and from data_base64, and refuses data that is not JSON", async () => {
    const { gateway, send } = gatewayWith();
    const binary = await gateway.request("/events", {
      method: "POST",
      headers: binaryHeaders({ "ce-type": ORDER, "content-type": "application/vnd.order+json" }),
      body: '{"orderId": 3, "channel": "store"}',
    });
    expect(binary.status).toBe(202);
    const base64 = Buffer.from('{"orderId": "x"}').toString("base64");
    expect((await send(undefined, { data_base64: base64 })).status).toBe(422);
    const text = await gateway.request("/events", {
      method: "POST",
      headers: binaryHeaders({ "ce-type": ORDER, "content-type": "text/plain" }),
      body: "orderId=3",
    });
    expect(text.status).toBe(422);
    expect((await problemOf(text)).errors?.[0]?.code).toBe("not-json-data");
  });

  it("lets types without a schema through, unless requireSchema is on", async () => {
    expect((await gatewayWith().send({ any: 1 }, { type: "com.example.free" })).status).toBe(202);
    const strict = gatewayWith({ requireSchema: true });
    const response = await strict.send({ any: 1 }, { type: "com.example.free" });
    expect(response.status).toBe(422);
    expect((await problemOf(response)).errors?.[0]?.code).toBe("no-schema");
  });
});

describe("warn and off modes", () => {
  it("warn accepts invalid data and reports the violation", async () => {
    const { send, memory, reports } = gatewayWith({ mode: "warn" });
    expect((await send({ orderId: "seven" })).status).toBe(202);
    expect(memory.events()).toHaveLength(1);
    const warning = reports.find((r) => r.stage === "contract-warning");
    expect(warning).toMatchObject({ type: ORDER, schema: "https://schemas.example/order/2" });
  });

  it("off does not check at all", async () => {
    const { send, reports } = gatewayWith({ mode: "off" });
    expect((await send({ orderId: "seven" })).status).toBe(202);
    expect(reports.some((r) => r.stage === "contract-warning")).toBe(false);
  });

  it("a per-type mode overrides the registry's", async () => {
    const { send } = gatewayWith({ mode: "enforce", types: { [ORDER]: { mode: "warn" } } });
    expect((await send({ orderId: "seven" })).status).toBe(202);
    const strict = gatewayWith({ mode: "off", types: { [ORDER]: { mode: "enforce" } } });
    expect((await strict.send({ orderId: "seven" })).status).toBe(422);
  });
});
