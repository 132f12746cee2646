/**
 * A preload (`node --import`) that registers an OpenTelemetry SDK before
 * `ce-gateway serve` starts, the way an operator enables tracing, with an
 * exporter that appends each finished span as one JSON line to the file
 * OTEL_TEST_SPANS_FILE names, for a test in another process to read.
 */
import { appendFileSync } from "node:fs";
import { NodeTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-node";

const file = process.env.OTEL_TEST_SPANS_FILE;
if (file === undefined) throw new Error("OTEL_TEST_SPANS_FILE is not set");

const fileExporter = {
  export(spans, done) {
    for (const span of spans) {
      const line = {
        name: span.name,
        kind: span.kind,
        traceId: span.spanContext().traceId,
        spanId: span.spanContext().spanId,
        parentSpanId: span.parentSpanContext?.spanId,
        attributes: span.attributes,
        status: span.status,
      };
      appendFileSync(file, `${JSON.stringify(line)}\n`);
    }
    done({ code: 0 });
  },
  shutdown: async () => {},
};

new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(fileExporter)] }).register();
