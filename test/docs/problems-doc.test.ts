import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HEADER_DECODE_FAILURES } from "../../src/codec/header-value.js";
import { PROBLEM_TYPES, problemTypeUri } from "../../src/errors/problem-types.js";
import { projectRoot } from "../support/cli-process.js";

describe("docs/problems.md", () => {
  const doc = readFileSync(join(projectRoot, "docs/problems.md"), "utf8");
  it.each(Object.entries(PROBLEM_TYPES))("documents %s with its status", (code, { status }) => {
    expect(doc).toContain(`| \`${problemTypeUri(code as keyof typeof PROBLEM_TYPES)}\` | ${status} |`);
  });

  it("lists exactly the failure codes a ce-* header value can give", () => {
    const row = doc.split("\n").find((line) => line.includes("header that does not decode")) ?? "";
    const listed = row
      .split("|")[1]
      ?.match(/`[a-z0-9-]+`/g)
      ?.map((c) => c.slice(1, -1));
    expect(listed).toEqual([...HEADER_DECODE_FAILURES]);
  });
});
