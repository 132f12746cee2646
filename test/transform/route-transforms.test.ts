/**
 * Route transforms through HTTP: attributes and data reshaped by JSONata,
 * data forwarded byte for byte when untouched, attribute types, removal, the
 * failures (422 transform-failed naming the route and the attribute), the
 * request's expression budget, the transformed event's checks (core spec,
 * schema registry, target size) and deliveries to one target through
 * several routes.
 */
import { describe, expect, it } from "vitest";
import { createMemoryAdapter, type MemoryAdapter } from "../../adapters/memory/index.js";
import type { Adapter } from "../../src/adapter/adapter.js";
import type { GatewayConfig, RouteConfig } from "../../src/config/gateway-config.js";
import { createGateway } from "../../src/entries/node/create-gateway.js";
import type { CloudEvent } from "../../src/event/cloud-event.js";
import type { GatewayReport } from "../../src/observe/observer.js";
import { registryValidator } from "../../src/schemas/registry-validator.js";
import { createAjvCompiler } from "../../src/schemas/schema-compiler.js";
import { SchemaRegistry } from "../../src/schemas/schema-registry.js";
import { toSchemaVersion } from "../../src/schemas/schema-version.js";
import type { EventValidator } from "../../src/validate/event-validator.js";
import { BATCH, binaryHeaders, problemOf, STRUCTURED, structuredEvent, text } from "../support/gateway.js";
import { scriptedAdapter } from "../support/scripted-adapter.js";

const ORDER = "com.example.order.created";
/** An order as a producer writes it: `25.50`, key order and spacing that re-serializing would change. */
const ORDER_DATA =
  '{"orderId": 1001, "total": 25.50, "region": "eu", "customer": {"id": "c-7", "vip": true}}';
const orderEvent = (id = "order-1") =>
  `{"specversion":"1.0","id":"${id}","source":"/shop/eu","type":"${ORDER}","datacontenttype":"application/json","data":${ORDER_DATA}}`;

interface Setup {
  readonly routes: RouteConfig[];
  readonly config?: Partial<GatewayConfig>;
  readonly targets?: Record<string, Adapter>;
  readonly validator?: EventValidator;
}

function transforming({ routes, config = {}, targets = {}, validator }: Setup) {
  const memories: Record<string, MemoryAdapter> = { a: createMemoryAdapter(), b: createMemoryAdapter() };
  const reports: GatewayReport[] = [];
  const gateway = createGateway(
    { routes, ...config },
    {
      targets: { ...memories, ...targets },
      observer: { report: (r) => reports.push(r) },
      ...(validator && { validator }),
    },
  );
  const post = (body: string, headers: Record<string, string> = STRUCTURED) =>
    gateway.request("/events", { method: "POST", headers, body }) as Promise<Response>;
  const received = (target: "a" | "b"): CloudEvent[] =>
    (memories[target] as MemoryAdapter).events().map((stored) => stored.event);
  return { gateway, post, received, reports };
}

const attributesOf = (event: CloudEvent | undefined) =>
  event === undefined ? undefined : { ...event.attributes, ...Object.fromEntries(event.extensions) };

describe("attributes", () => {
  it("sets core attributes and extensions from the event, and forwards the data byte for byte", async () => {
    const gw = transforming({
      routes: [
        {
          name: "orders-to-analytics",
          filters: [{ exact: { type: ORDER } }],
          to: ["a"],
          transform: {
            attributes: {
              type: "'com.example.analytics.order'",
              subject: "data.customer.id",
              region: "data.region",
            },
          },
        },
      ],
    });
    const response = await gw.post(orderEvent());
    expect(response.status).toBe(202);
    // The producer is told about the event it sent.
    expect(await response.json()).toEqual({ accepted: 1, events: [{ id: "order-1", source: "/shop/eu" }] });
    const [event] = gw.received("a");
    expect(attributesOf(event)).toEqual({
      specversion: "1.0",
      id: "order-1",
      source: "/shop/eu",
      type: "com.example.analytics.order",
      datacontenttype: "application/json",
      subject: "c-7",
      region: "eu",
    });
    expect(text(event?.data?.bytes)).toBe(ORDER_DATA);
    expect(event?.data?.encoding).toBe("json");
    // The bytes that came in describe the original event: a changed one is never sent as them.
    expect(event?.encoded).toBeUndefined();
  });

  it("writes the changed event, not the bytes that came in, in the JSON format", async () => {
    let stdout = "";
    const gateway = createGateway(
      {
        targets: { out: { type: "stdout" } },
        routes: [{ name: "retype", to: ["out"], transform: { attributes: { type: "type & '.v2'" } } }],
      },
      {
        runtime: {
          writeStdout: (line) => {
            stdout += line;
          },
        },
      },
    );
    const response = await gateway.request("/events", {
      method: "POST",
      headers: STRUCTURED,
      body: orderEvent(),
    });
    expect(response.status).toBe(202);
    expect(stdout.trim()).toBe(
      `{"specversion":"1.0","id":"order-1","source":"/shop/eu","type":"${ORDER}.v2","datacontenttype":"application/json","data":${ORDER_DATA}}`,
    );
    await gateway.close();
  });

  it("forwards binary-mode text and binary data unchanged, and shows binary data as data_base64", async () => {
    const gw = transforming({
      routes: [
        {
          name: "sized",
          to: ["a"],
          transform: { attributes: { size: "$length(data_base64)", subject: "'s'" } },
        },
      ],
    });
    const bytes = new Uint8Array([0, 255, 1, 254, 2]);
    const response = await gw.gateway.request("/events", {
      method: "POST",
      headers: binaryHeaders({ "content-type": "application/octet-stream" }),
      body: bytes,
    });
    expect(response.status).toBe(202);
    const [event] = gw.received("a");
    expect(event?.extensions.get("size")).toBe(8);
    expect(event?.data?.bytes).toEqual(bytes);
    expect(event?.attributes.datacontenttype).toBe("application/octet-stream");

    const plain = await gw.post(
      "héllo\r\n world",
      binaryHeaders({ "content-type": "text/plain; charset=utf-8" }),
    );
    expect(plain.status).toBe(202);
    expect(text(gw.received("a")[1]?.data?.bytes)).toBe("héllo\r\n world");
  });

  it("reads text data as a string", async () => {
    const gw = transforming({
      routes: [{ name: "upper", to: ["a"], transform: { attributes: { subject: "$uppercase(data)" } } }],
    });
    await gw.post(JSON.stringify(structuredEvent({ datacontenttype: "text/plain", data: "abc" })));
    expect(gw.received("a")[0]?.attributes.subject).toBe("ABC");
  });

  it("converts results by the attribute's type: Strings for core attributes, Integer and Boolean kept for extensions", async () => {
    const gw = transforming({
      routes: [
        {
          name: "typed",
          to: ["a"],
          transform: {
            attributes: {
              subject: "data.orderId",
              dataschema: "'urn:example:' & $string(data.customer.vip)",
              id: "data.customer.vip",
              count: "data.orderId",
              negative: "-5",
              flag: "data.customer.vip",
              total: "data.total",
              large: "3000000000",
              label: "'x'",
            },
          },
        },
      ],
    });
    expect((await gw.post(orderEvent())).status).toBe(202);
    const [event] = gw.received("a");
    expect(event?.attributes).toMatchObject({ subject: "1001", dataschema: "urn:example:true", id: "true" });
    expect(Object.fromEntries(event?.extensions ?? [])).toEqual({
      count: 1001,
      negative: -5,
      flag: true,
      total: "25.5",
      large: "3000000000",
      label: "x",
    });
  });

  it("removes an optional attribute whose expression yields nothing or null", async () => {
    const gw = transforming({
      routes: [
        {
          name: "strip",
          to: ["a"],
          transform: { attributes: { subject: "null", region: "data.missing", tier: "data.customer.tier" } },
        },
      ],
    });
    const body = JSON.stringify(
      structuredEvent({ subject: "s", region: "eu", tier: "gold", data: { customer: {} } }),
    );
    expect((await gw.post(body)).status).toBe(202);
    const [event] = gw.received("a");
    expect(event?.attributes.subject).toBeUndefined();
    expect([...(event?.extensions.keys() ?? [])]).toEqual([]);
  });
});

describe("data", () => {
  it("replaces the data with the result as JSON, declared application/json", async () => {
    const gw = transforming({
      routes: [
        {
          name: "slim",
          to: ["a"],
          transform: { data: "{ 'order': data.orderId, 'total': data.total }" },
        },
      ],
    });
    const body = `{"specversion":"1.0","id":"1","source":"/s","type":"t","datacontenttype":"application/vnd.shop+json","data":${ORDER_DATA}}`;
    expect((await gw.post(body)).status).toBe(202);
    const [event] = gw.received("a");
    expect(text(event?.data?.bytes)).toBe('{"order":1001,"total":25.5}');
    expect(event?.attributes.datacontenttype).toBe("application/json");
  });

  it("keeps the content type the attributes set, and removes the data when the expression yields nothing", async () => {
    const gw = transforming({
      routes: [
        {
          name: "typed",
          filters: [{ exact: { subject: "typed" } }],
          to: ["a"],
          transform: {
            attributes: { datacontenttype: "'application/vnd.order+json'" },
            data: "data.customer",
          },
        },
        {
          name: "none",
          filters: [{ exact: { subject: "none" } }],
          to: ["b"],
          transform: { data: "data.missing" },
        },
      ],
    });
    const event = (subject: string) =>
      `{"specversion":"1.0","id":"1","source":"/s","type":"t","subject":"${subject}","datacontenttype":"application/json","data":${ORDER_DATA}}`;
    expect((await gw.post(event("typed"))).status).toBe(202);
    expect((await gw.post(event("none"))).status).toBe(202);
    const [typed] = gw.received("a");
    expect(typed?.attributes.datacontenttype).toBe("application/vnd.order+json");
    expect(text(typed?.data?.bytes)).toBe('{"id":"c-7","vip":true}');
    const [none] = gw.received("b");
    expect(none?.data).toBeUndefined();
    expect(none?.attributes.datacontenttype).toBeUndefined();
  });

  it("reads the kept data again under a content type the transform changed", async () => {
    const gw = transforming({
      routes: [
        {
          name: "as-json",
          filters: [{ exact: { subject: "json" } }],
          to: ["a"],
          transform: { attributes: { datacontenttype: "'application/json'" } },
        },
        {
          name: "as-text",
          filters: [{ exact: { subject: "text" } }],
          to: ["a"],
          transform: { attributes: { datacontenttype: "'text/plain'" } },
        },
      ],
    });
    const post = (subject: string) =>
      gw.post(
        '{"a": 1}',
        binaryHeaders({ "ce-subject": subject, "content-type": "application/octet-stream" }),
      );
    expect((await post("json")).status).toBe(202);
    expect((await post("text")).status).toBe(202);
    expect(gw.received("a").map((e) => [e.data?.encoding, text(e.data?.bytes)])).toEqual([
      ["json", '{"a": 1}'],
      ["text", '{"a": 1}'],
    ]);
    // Bytes that are not JSON under a JSON content type: the transform makes an invalid event.
    const refused = await gw.post(
      "not json",
      binaryHeaders({ "ce-subject": "json", "content-type": "text/plain" }),
    );
    expect(refused.status).toBe(422);
    expect((await problemOf(refused)).errors).toEqual([
      expect.objectContaining({ route: "as-json", pointer: "/data", code: "invalid-json" }),
    ]);
  });
});

describe("failures", () => {
  const routes: RouteConfig[] = [
    { name: "plain", to: ["b"] },
    {
      name: "reshape",
      to: ["a"],
      transform: {
        attributes: { subject: "data.customer", time: "data.when", region: "data.total + data.x" },
      },
    },
  ];

  it("refuses the whole request with 422 transform-failed naming the route and each attribute, delivering nothing", async () => {
    const gw = transforming({ routes });
    const body = JSON.stringify(
      structuredEvent({ data: { customer: { id: 1 }, when: "yesterday", total: 1, x: "y" } }),
    );
    const response = await gw.post(body);
    expect(response.status).toBe(422);
    const problem = await problemOf(response);
    expect(problem.code).toBe("transform-failed");
    expect(problem.type).toBe("urn:ce-gateway:problem:transform-failed");
    expect(problem.errors).toEqual([
      {
        index: 0,
        pointer: "/subject",
        route: "reshape",
        code: "transform-value",
        detail: expect.stringMatching(/^route "reshape", attribute "subject": the result is an object/),
      },
      {
        index: 0,
        pointer: "/region",
        route: "reshape",
        code: "transform-error",
        detail: expect.stringMatching(
          /^route "reshape", attribute "region", at position \d+: .*must evaluate to a number/,
        ),
      },
    ]);
    expect(gw.received("a")).toEqual([]);
    expect(gw.received("b")).toEqual([]);
  });

  it("refuses an event the transform makes invalid by the core spec, with the normalize stage's codes", async () => {
    const gw = transforming({ routes });
    const body = JSON.stringify(
      structuredEvent({ data: { customer: "c-1", when: "yesterday", total: 1, x: 2 } }),
    );
    const response = await gw.post(body);
    expect(response.status).toBe(422);
    expect((await problemOf(response)).errors).toEqual([
      {
        index: 0,
        pointer: "/time",
        route: "reshape",
        code: "invalid-time",
        detail: 'route "reshape": time must be an RFC 3339 timestamp',
      },
    ]);
  });

  it("refuses removing a required attribute", async () => {
    const gw = transforming({
      routes: [{ name: "anonymous", to: ["a"], transform: { attributes: { source: "data.origin" } } }],
    });
    const response = await gw.post(JSON.stringify(structuredEvent({ data: {} })));
    expect(response.status).toBe(422);
    expect((await problemOf(response)).errors).toEqual([
      expect.objectContaining({ route: "anonymous", pointer: "/source", code: "missing-attribute" }),
    ]);
  });

  it("points into the batch at the failing event", async () => {
    const gw = transforming({ routes });
    const good = structuredEvent({
      id: "ok",
      data: { customer: "c", when: "2026-01-01T00:00:00Z", total: 1, x: 2 },
    });
    const bad = structuredEvent({ id: "bad", data: { customer: ["a", "b"] } });
    const response = await gw.post(JSON.stringify([good, bad]), BATCH);
    expect(response.status).toBe(422);
    expect((await problemOf(response)).errors).toEqual([
      expect.objectContaining({ index: 1, pointer: "/1/subject", route: "reshape", code: "transform-value" }),
    ]);
    expect(gw.received("a")).toEqual([]);
  });

  it("stops a request whose expressions spend its step budget, with 422", async () => {
    const gw = transforming({
      routes: [
        { name: "costly", to: ["a"], transform: { attributes: { total: "$sum([1..50000].($ * 2))" } } },
      ],
    });
    const response = await gw.post(JSON.stringify(structuredEvent()));
    expect(response.status).toBe(422);
    expect((await problemOf(response)).errors).toEqual([
      {
        index: 0,
        pointer: "/total",
        route: "costly",
        code: "transform-budget-exceeded",
        detail: expect.stringMatching(/^route "costly", attribute "total": .*more than 100000 steps/),
      },
    ]);
  });

  it("shares the budget across the events of a request and says how many were not transformed", async () => {
    const gw = transforming({
      routes: [
        { name: "costly", to: ["a"], transform: { attributes: { total: "$sum([1..20000].($ * 2))" } } },
      ],
    });
    // One event costs about 80,000 steps: alone it passes, the second of a batch spends the budget.
    expect((await gw.post(JSON.stringify(structuredEvent()))).status).toBe(202);
    const batch = JSON.stringify([1, 2, 3].map((i) => structuredEvent({ id: `e-${i}` })));
    const response = await gw.post(batch, BATCH);
    expect(response.status).toBe(422);
    const problem = await problemOf(response);
    expect(problem.errors?.map((e) => [e.index, e.code])).toEqual([[1, "transform-budget-exceeded"]]);
    expect(problem.detail).toContain("1 event(s) were not transformed");
  });
});

describe("checks of the transformed event", () => {
  const ANALYTICS = "com.example.analytics.order";
  const analyticsV1 = toSchemaVersion(ANALYTICS, 1, {
    type: "object",
    required: ["order", "total"],
    properties: { order: { type: "integer" }, total: { type: "number" } },
  });
  const validator = registryValidator(new SchemaRegistry(createAjvCompiler(), [analyticsV1]), {
    mode: "enforce",
    requireSchema: false,
    types: {},
  });
  const analytics = (data: string): RouteConfig => ({
    name: "analytics",
    to: ["a"],
    transform: { attributes: { type: `'${ANALYTICS}'` }, data },
  });

  it("checks it against the schema registry under its new type", async () => {
    const gw = transforming({
      routes: [analytics("{ 'order': data.orderId, 'total': data.total }")],
      validator,
    });
    expect((await gw.post(orderEvent())).status).toBe(202);
    expect(text(gw.received("a")[0]?.data?.bytes)).toBe('{"order":1001,"total":25.5}');
  });

  it("refuses it when it breaks its contract, naming the route and the field", async () => {
    const gw = transforming({ routes: [analytics("{ 'order': $string(data.orderId) }")], validator });
    const response = await gw.post(orderEvent());
    expect(response.status).toBe(422);
    const problem = await problemOf(response);
    expect(problem.code).toBe("transform-failed");
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ route: "analytics", pointer: "/data/order", code: "schema-violation" }),
      ]),
    );
    expect(gw.received("a")).toEqual([]);
  });

  it("reports a contract warning of a transformed event in warn mode, and delivers it", async () => {
    const warn = registryValidator(new SchemaRegistry(createAjvCompiler(), [analyticsV1]), {
      mode: "warn",
      requireSchema: false,
      types: {},
    });
    const gw = transforming({ routes: [analytics("{ 'order': 'x' }")], validator: warn });
    expect((await gw.post(orderEvent())).status).toBe(202);
    expect(gw.reports.filter((r) => r.stage === "contract-warning")).toEqual([
      expect.objectContaining({ type: ANALYTICS, eventId: "order-1" }),
    ]);
  });

  it("sizes the event each target gets: 413 for one the transform made too large", async () => {
    const small = scriptedAdapter(() => ({ status: "acked", receipt: {} }), 400);
    const gw = transforming({
      routes: [
        {
          name: "padded",
          filters: [{ exact: { subject: "pad" } }],
          to: ["small"],
          transform: { data: "$pad('', 1000, 'x')" },
        },
        {
          name: "trimmed",
          filters: [{ exact: { subject: "trim" } }],
          to: ["small"],
          transform: { data: "$substring(data, 0, 10)" },
        },
      ],
      targets: { small },
    });
    const padded = await gw.post(JSON.stringify(structuredEvent({ subject: "pad", data: "tiny" })));
    expect(padded.status).toBe(413);
    expect((await problemOf(padded)).errors).toEqual([
      expect.objectContaining({ target: "small", route: "padded", code: "event-too-large" }),
    ]);
    // Received, the event is too large for the target; transformed, it fits.
    const trimmed = await gw.post(
      JSON.stringify(structuredEvent({ subject: "trim", data: "y".repeat(1000) })),
    );
    expect(trimmed.status).toBe(202);
    expect(small.calls).toHaveLength(1);
  });
});

describe("one event, one target, several routes", () => {
  const retype = (name: string, type: string, to = ["a"]): RouteConfig => ({
    name,
    to,
    transform: { attributes: { type: `'${type}'` } },
  });
  const delivered = (events: CloudEvent[]) => events.map((e) => [e.attributes.id, e.attributes.type]);

  it("sends each distinct transform's event, renaming a later variant whose source and id repeat", async () => {
    const gw = transforming({
      routes: [
        { name: "as-is", to: ["a"] },
        retype("v2", "com.example.v2"),
        retype("v3", "com.example.v3", ["a", "b"]),
        {
          name: "copy",
          to: ["a"],
          transform: { attributes: { id: "id & '-copy'", type: "'com.example.copy'" } },
        },
        { name: "again", to: ["a", "b"] },
      ],
    });
    const body = JSON.stringify(structuredEvent({ id: "e-1", type: "com.example.v1" }));
    expect((await gw.post(body)).status).toBe(202);
    expect(delivered(gw.received("a"))).toEqual([
      ["e-1", "com.example.v1"],
      ["e-1~v2", "com.example.v2"],
      ["e-1~v3", "com.example.v3"],
      ["e-1-copy", "com.example.copy"],
    ]);
    // Target b's first variant is v3's: it keeps the id; the untransformed event after it is renamed.
    expect(delivered(gw.received("b"))).toEqual([
      ["e-1", "com.example.v3"],
      ["e-1~again", "com.example.v1"],
    ]);
    // A redelivered request makes the same ids, so the targets' deduplication sees the same events.
    expect((await gw.post(body)).status).toBe(202);
    expect(delivered(gw.received("a")).slice(4)).toEqual(delivered(gw.received("a")).slice(0, 4));
    expect(delivered(gw.received("b")).slice(2)).toEqual(delivered(gw.received("b")).slice(0, 2));
  });

  it("collapses routes without a transform, and routes whose transforms are written alike", async () => {
    const gw = transforming({
      routes: [
        { name: "one", to: ["a"] },
        { name: "two", to: ["a", "b"] },
        retype("v2", "com.example.v2", ["b"]),
        retype("v2-again", "com.example.v2", ["b"]),
      ],
    });
    expect((await gw.post(JSON.stringify(structuredEvent({ id: "e-1" })))).status).toBe(202);
    expect(delivered(gw.received("a"))).toEqual([["e-1", "com.example.test"]]);
    expect(delivered(gw.received("b"))).toEqual([
      ["e-1", "com.example.test"],
      ["e-1~v2", "com.example.v2"],
    ]);
  });

  it("runs no transform of a route after one that matched with stop", async () => {
    const gw = transforming({
      routes: [
        { ...retype("first", "com.example.first"), stop: true },
        { name: "never", to: ["a"], transform: { attributes: { subject: "$error('evaluated')" } } },
      ],
    });
    expect((await gw.post(JSON.stringify(structuredEvent()))).status).toBe(202);
    expect(delivered(gw.received("a"))).toEqual([["evt-1", "com.example.first"]]);
  });

  it("expands a target's address from the event it gets", async () => {
    const addressed = createMemoryAdapter({ address: "orders.{type}" });
    const gw = createGateway(
      {
        targets: { m: { type: "memory", address: "orders.{type}" } },
        routes: [{ name: "r", to: ["m"], transform: { attributes: { type: "'analytics'" } } }],
      },
      { targets: { m: addressed } },
    );
    const response = await gw.request("/events", {
      method: "POST",
      headers: STRUCTURED,
      body: JSON.stringify(structuredEvent()),
    });
    expect(response.status).toBe(202);
    expect(addressed.events().map((s) => s.address)).toEqual(["orders.analytics"]);
  });
});
