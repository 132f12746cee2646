import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROBLEM_TYPES, problemTypeUri } from "../../src/errors/problem-types.js";
import { projectRoot } from "../support/cli-process.js";

describe("docs/problems.md", () => {
  const doc = readFileSync(join(projectRoot, "docs/problems.md"), "utf8");
  it.each(Object.entries(PROBLEM_TYPES))("documents %s with its status", (code, { status }) => {
    expect(doc).toContain(`| \`${problemTypeUri(code as keyof typeof PROBLEM_TYPES)}\` | ${status} |`);
  });
});
