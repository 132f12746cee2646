/**
 * What every answer of the gateway must be, whatever it was sent: never a 5xx
 * (a memory target never gives the documented 502/503), and every 4xx an
 * `application/problem+json` with its status and a `code`. Also a guard that
 * fails the test on any unhandled promise rejection in this process.
 */
import { afterAll, beforeAll, expect } from "vitest";
import { casesCounted } from "./fuzz-budget.js";

export interface Answer {
  readonly status: number;
  readonly contentType: string | null;
  readonly text: string;
}

export async function answerOf(response: Response): Promise<Answer> {
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    text: await response.text(),
  };
}

/** Asserts the answer is sound; returns its problem `code` for a 4xx. */
export function expectSound(answer: Answer, input?: unknown): string | undefined {
  const context = () =>
    `status ${answer.status} for ${JSON.stringify(input)?.slice(0, 400)}: ${answer.text.slice(0, 400)}`;
  expect(answer.status < 500, context()).toBe(true);
  if (answer.status < 400) return undefined;
  expect(answer.contentType, context()).toBe("application/problem+json");
  const problem = JSON.parse(answer.text) as { status?: unknown; code?: unknown; type?: unknown };
  expect(problem.status, context()).toBe(answer.status);
  expect(typeof problem.code === "string" && problem.code.length > 0, context()).toBe(true);
  expect(typeof problem.type, context()).toBe("string");
  return problem.code as string;
}

/**
 * Registers a process-level listener for the file: any unhandled rejection
 * fails it. Also prints how many cases the file ran, for the long run's report.
 */
export function failOnUnhandledRejections(): void {
  const rejections: unknown[] = [];
  const listener = (reason: unknown) => {
    rejections.push(reason);
  };
  beforeAll(() => {
    process.on("unhandledRejection", listener);
  });
  afterAll(() => {
    process.off("unhandledRejection", listener);
    console.log(
      JSON.stringify({ fuzz: { file: expect.getState().testPath?.split("/").pop(), cases: casesCounted() } }),
    );
    expect(rejections.map(String)).toEqual([]);
  });
}
