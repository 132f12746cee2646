/**
 * The requests every configuration receives, as templates: the event id (and
 * the order id derived from it) is a marker that each driver replaces per
 * request with a fresh `<nonce>-<n>`, so wrk (through a generated Lua spec)
 * and autocannon send byte-identical requests, and JetStream never sees an id
 * twice (it would deduplicate it and skip the store).
 */

export const EVENT_TYPE = "com.example.order.created";
export const EVENT_SOURCE = "/bench/shop/eu-west-1";
export const BATCH_SIZE = 100;
/** Replaced per request; chosen so that JSON.stringify leaves it as it is. */
const MARK = "~ID~";

/** @typedef {"structured" | "binary" | "batch" | "json-source"} IngestMode */

/** The path of the gateway's `json` source (bench/gateway-config.js), which maps the plain order to the same event. */
export const JSON_SOURCE_PATH = "/hooks/orders";
/**
 * @typedef {object} RequestTemplate
 * @property {string} method
 * @property {string} path
 * @property {Record<string, string>} headers fixed headers
 * @property {Record<string, string[]>} idHeaders headers holding the id: parts joined by the request's stem
 * @property {string[]} body parts joined by the request's stem
 * @property {number} eventsPerRequest
 */

const data = (id) => ({
  orderId: `o-${id}`,
  amount: 129.9,
  items: [
    { sku: "SKU-1001", qty: 2 },
    { sku: "SKU-2044", qty: 1 },
  ],
});

const structuredEvent = (id) => ({
  specversion: "1.0",
  id,
  source: EVENT_SOURCE,
  type: EVENT_TYPE,
  subject: "orders/eu-west-1",
  time: "2026-11-30T12:00:00.000Z",
  datacontenttype: "application/json",
  data: data(id),
});

/**
 * @param {IngestMode} mode
 * @returns {RequestTemplate}
 */
export function requestTemplate(mode) {
  const base = { method: "POST", path: "/events", idHeaders: {} };
  if (mode === "structured")
    return {
      ...base,
      headers: { "content-type": "application/cloudevents+json" },
      body: JSON.stringify(structuredEvent(MARK)).split(MARK),
      eventsPerRequest: 1,
    };
  if (mode === "binary")
    return {
      ...base,
      headers: {
        "content-type": "application/json",
        "ce-specversion": "1.0",
        "ce-source": EVENT_SOURCE,
        "ce-type": EVENT_TYPE,
        "ce-subject": "orders/eu-west-1",
        "ce-time": "2026-11-30T12:00:00.000Z",
      },
      idHeaders: { "ce-id": ["", ""] },
      body: JSON.stringify(data(MARK)).split(MARK),
      eventsPerRequest: 1,
    };
  if (mode === "json-source")
    return {
      ...base,
      path: JSON_SOURCE_PATH,
      headers: { "content-type": "application/json" },
      body: JSON.stringify(data(MARK)).split(MARK),
      eventsPerRequest: 1,
    };
  if (mode === "batch") {
    const events = Array.from({ length: BATCH_SIZE }, (_, k) => structuredEvent(`${MARK}.${k}`));
    return {
      ...base,
      headers: { "content-type": "application/cloudevents-batch+json" },
      body: JSON.stringify(events).split(MARK),
      eventsPerRequest: BATCH_SIZE,
    };
  }
  throw new Error(`unknown ingest mode ${mode}`);
}

/**
 * One concrete request of a template.
 * @param {RequestTemplate} template
 * @param {string} stem the request's unique id stem
 */
export function fillTemplate(template, stem) {
  const headers = { ...template.headers };
  for (const [name, parts] of Object.entries(template.idHeaders)) headers[name] = parts.join(stem);
  return { method: template.method, path: template.path, headers, body: template.body.join(stem) };
}
