/**
 * Contract tests for users: runs example events through the real gateway
 * (createGateway with memory adapters standing in for the configured
 * targets) and compares the schema verdict and the targets reached with the
 * expectations written beside each example.
 */
import type { Adapter } from "../adapter/adapter.js";
import type { GatewayConfig } from "../config/gateway-config.js";
import { createGateway } from "../http/create-gateway.js";
import type { EventValidator } from "../validate/event-validator.js";

export interface ExampleExpectation {
  /** The event passes its schema (default true). */
  readonly valid?: boolean;
  /** Exactly these targets receive it (default: at least one). */
  readonly targets?: readonly string[];
}

export interface Example {
  /** Where it came from, for the report (a file path). */
  readonly name: string;
  /** The event in the JSON format. */
  readonly event: unknown;
  readonly expect: ExampleExpectation;
}

export interface ExampleResult {
  readonly name: string;
  readonly passed: boolean;
  /** What happened, in words. */
  readonly actual: string;
  /** Why it failed, when it did. */
  readonly failure?: string;
}

/** An example file holds `{ event, expect? }`, or just the event. */
export function toExample(name: string, content: unknown): Example {
  const record = content as { event?: unknown; expect?: ExampleExpectation; specversion?: unknown };
  if (
    typeof content === "object" &&
    content !== null &&
    record.specversion === undefined &&
    record.event !== undefined
  ) {
    return { name, event: record.event, expect: record.expect ?? {} };
  }
  return { name, event: content, expect: {} };
}

/** An adapter that keeps what it receives (the memory target), standing in for a configured one. */
export interface StandInAdapter extends Adapter {
  events(): readonly unknown[];
  clear(): void;
}

export async function runExamples(
  config: GatewayConfig,
  validator: EventValidator,
  examples: readonly Example[],
  standIn: () => StandInAdapter,
  /** Called as each example's result is known (the CLI's progress). */
  onResult: (result: ExampleResult) => void = () => {},
): Promise<ExampleResult[]> {
  const names = Object.keys(config.targets ?? {});
  const memories: Record<string, StandInAdapter> = Object.fromEntries(names.map((name) => [name, standIn()]));
  // Examples check where events go, not when: every route acknowledges synchronously here, so the
  // stand-ins hold what was delivered by the time the answer comes (and no outbox is needed).
  const synchronous: GatewayConfig = {
    ...config,
    ...(config.routes && { routes: config.routes.map(({ ack: _ack, ...route }) => route) }),
  };
  const gateway = createGateway(synchronous, { targets: memories, validator });
  const results: ExampleResult[] = [];
  try {
    for (const example of examples) {
      for (const memory of Object.values(memories)) memory.clear();
      const response = await gateway.request("/events", {
        method: "POST",
        headers: { "content-type": "application/cloudevents+json" },
        body: JSON.stringify(example.event),
      });
      const body = (await response.json()) as { code?: string; errors?: { detail: string }[] };
      const reached = names.filter((name) => (memories[name]?.events().length ?? 0) > 0);
      const valid =
        response.status === 202 || (response.status !== 422 ? undefined : body.code !== "contract-violation");
      const actual =
        response.status === 202
          ? `valid, delivered to [${reached.join(", ")}]`
          : `${response.status} ${body.code}${body.errors?.[0] ? `: ${body.errors[0].detail}` : ""}`;
      const wantValid = example.expect.valid ?? true;
      let failure: string | undefined;
      if (valid === undefined) failure = `the gateway answered ${actual}`;
      else if (valid !== wantValid) failure = `expected ${wantValid ? "valid" : "invalid"}, got ${actual}`;
      else if (wantValid && example.expect.targets === undefined && reached.length === 0)
        failure = `expected to reach a target, got ${actual}`;
      else if (wantValid && example.expect.targets !== undefined) {
        const want = [...example.expect.targets].sort();
        if (JSON.stringify(want) !== JSON.stringify([...reached].sort()))
          failure = `expected targets [${want.join(", ")}], got ${actual}`;
      }
      const result = {
        name: example.name,
        passed: failure === undefined,
        actual,
        ...(failure === undefined ? {} : { failure }),
      };
      results.push(result);
      onResult(result);
    }
  } finally {
    await gateway.close();
  }
  return results;
}

const xml = (text: string) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The results as a JUnit XML report (one test case per example). */
export function junitReport(results: readonly ExampleResult[]): string {
  const failures = results.filter((r) => !r.passed).length;
  const cases = results.map((r) =>
    r.passed
      ? `  <testcase classname="ce-gateway.examples" name="${xml(r.name)}"/>`
      : `  <testcase classname="ce-gateway.examples" name="${xml(r.name)}">\n    <failure message="${xml(r.failure ?? "")}"/>\n  </testcase>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="ce-gateway examples" tests="${results.length}" failures="${failures}">\n${cases.join("\n")}\n</testsuite>\n`;
}
