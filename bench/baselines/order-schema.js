/**
 * The data schema of `com.example.order.created`: the gateway's registry
 * gets this as `<dir>/com.example.order.created/1.json`, and the baselines
 * compile the same one with Ajv, so every server checks the same contract.
 */
export const ORDER_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: "https://schemas.example.com/bench/order-created/1",
  type: "object",
  required: ["orderId", "amount", "items"],
  properties: {
    orderId: { type: "string", minLength: 1 },
    amount: { type: "number", minimum: 0 },
    items: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        required: ["sku", "qty"],
        properties: { sku: { type: "string" }, qty: { type: "integer", minimum: 1 } },
      },
    },
  },
};
