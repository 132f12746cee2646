/**
 * The attribute names and values the gateway's spans use, written out here
 * rather than imported: they follow OpenTelemetry semantic conventions
 * 1.28.0, whose messaging conventions are still "Development" and move
 * between releases (1.28.0 renamed the operation type `publish` to `send`),
 * and the semantic-conventions package exports such names only from its
 * unstable `incubating` entry. Pinned, so a trace backend's dashboards keep
 * working across upgrades of that package.
 *
 * https://github.com/open-telemetry/semantic-conventions/tree/v1.28.0/docs/messaging
 * https://github.com/open-telemetry/semantic-conventions/tree/v1.28.0/docs/http
 */

/** The semantic conventions version these names follow (also the tracer's `schemaUrl`). */
export const SEMCONV_SCHEMA_URL = "https://opentelemetry.io/schemas/1.28.0";

// Messaging (messaging-spans.md, 1.28.0).
export const MESSAGING_SYSTEM = "messaging.system";
export const MESSAGING_OPERATION_TYPE = "messaging.operation.type";
export const MESSAGING_OPERATION_NAME = "messaging.operation.name";
export const MESSAGING_DESTINATION_NAME = "messaging.destination.name";
export const MESSAGING_MESSAGE_ID = "messaging.message.id";
export const MESSAGING_BATCH_MESSAGE_COUNT = "messaging.batch.message_count";
/** 1.28.0: "send" replaced "publish" for a producer handing messages to a broker. */
export const OPERATION_TYPE_SEND = "send";

// CloudEvents (cloudevents-spans.md, 1.28.0).
export const CLOUDEVENTS_EVENT_ID = "cloudevents.event_id";
export const CLOUDEVENTS_EVENT_SOURCE = "cloudevents.event_source";
export const CLOUDEVENTS_EVENT_TYPE = "cloudevents.event_type";

// General and HTTP (stable).
export const SERVER_ADDRESS = "server.address";
export const SERVER_PORT = "server.port";
export const ERROR_TYPE = "error.type";
export const HTTP_REQUEST_METHOD = "http.request.method";
export const HTTP_ROUTE = "http.route";
export const HTTP_RESPONSE_STATUS_CODE = "http.response.status_code";
export const URL_PATH = "url.path";

// The gateway's own, under its name as the conventions ask of custom attributes.
export const GATEWAY_TARGET = "ce_gateway.target";
export const GATEWAY_REQUEST_ID = "ce_gateway.request_id";
/** How many events (or records) a stage span handled. */
export const GATEWAY_EVENT_COUNT = "ce_gateway.event_count";
