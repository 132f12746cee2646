/**
 * The cost of the registry's validate stage per event, against calling the
 * same compiled validator directly on the same parsed data. Target: <= 1.2x.
 */
import { Ajv } from "ajv";
import { createCloudEvent, EventData } from "../dist/src/event/cloud-event.js";
import { registryValidator } from "../dist/src/schemas/registry-validator.js";
import { createAjvCompiler } from "../dist/src/schemas/schema-compiler.js";
import { SchemaRegistry } from "../dist/src/schemas/schema-registry.js";
import { toSchemaVersion } from "../dist/src/schemas/schema-version.js";
import { compare } from "./harness.js";

const schema = {
  $id: "https://schemas.example/bench/order/1",
  type: "object",
  required: ["orderId", "lines"],
  properties: {
    orderId: { type: "integer" },
    customer: { type: "string", maxLength: 64 },
    lines: {
      type: "array",
      items: {
        type: "object",
        required: ["sku", "qty"],
        properties: { sku: { type: "string" }, qty: { type: "integer", minimum: 1 } },
      },
    },
  },
};
const data = {
  orderId: 7,
  customer: "c-7",
  lines: Array.from({ length: 10 }, (_, i) => ({ sku: `sku-${i}`, qty: i + 1 })),
};

export async function run() {
  const registry = new SchemaRegistry(createAjvCompiler(), [toSchemaVersion("com.example.order", 1, schema)]);
  const validator = registryValidator(registry, { mode: "enforce", requireSchema: false, types: {} });
  const event = createCloudEvent({
    attributes: {
      specversion: "1.0",
      id: "1",
      source: "/b",
      type: "com.example.order",
      datacontenttype: "application/json",
    },
    data: new EventData(new TextEncoder().encode(JSON.stringify(data)), "json"),
  });
  const direct = new Ajv({ allErrors: true, strict: false }).compile(schema);
  const parsed = event.data.json();
  const position = { index: 0, pointerPrefix: "" };
  await compare("schema validation per event (baseline: the compiled validator called directly)", {
    "compiled validator, direct": () => {
      if (!direct(parsed)) throw new Error("invalid");
    },
    "registry validate stage": () => {
      if (validator.validate(event, position).failures.length > 0) throw new Error("invalid");
    },
  });
}
