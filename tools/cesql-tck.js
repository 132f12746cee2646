/**
 * Runs the CloudEvents SQL TCK (cloudevents/spec cesql/cesql_tck, see its
 * README.md) against the built CESQL module in dist/ (`npm run build` first).
 *
 *   node tools/cesql-tck.js [dir]
 *
 * dir defaults to $CE_SHARED_DIR/conformance/cesql-tck, or ../shared/... next
 * to the repository. Prints a table per file and exits non-zero unless it
 * found exactly 275 cases and every one passed.
 */
import { realpathSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { isMap, isScalar, isSeq, parseDocument } from "yaml";

/** The size of the TCK at cesql@v1.0.0 (18 files). */
export const EXPECTED_CASES = 275;

const repoRoot = fileURLToPath(new URL("..", import.meta.url));

export const defaultTckDir = () =>
  join(process.env.CE_SHARED_DIR ?? join(repoRoot, "..", "shared"), "conformance", "cesql-tck");

/**
 * The one case where the TCK contradicts the spec. `NOT 10` needs an
 * Integer -> Boolean cast, which CESQL v1 section 3.7 lists as MUST-support
 * (0 is false, anything else true), so the answer is FALSE with no error.
 * sdk-go's copy of the TCK (sql/v2/test/tck/not_operator.yaml) says the same.
 * Matched on file, name and expression, so it cannot drift onto another case.
 */
const OVERRIDES = [
  {
    file: "not_operator.yaml",
    name: "Invalid int cast",
    expression: "NOT 10",
    expected: { result: false, error: undefined },
    reason: "CESQL v1 section 3.7: Integer -> Boolean is a supported cast, so NOT 10 is FALSE with no error",
  },
];

const CORE_ATTRIBUTES = new Set([
  "specversion",
  "id",
  "source",
  "type",
  "datacontenttype",
  "dataschema",
  "subject",
  "time",
]);

/** Any valid event, for cases without `event` (the README allows any). */
const BASE_EVENT = {
  specversion: "1.0",
  id: "cesql-tck",
  source: "/cesql-tck",
  type: "io.cloudevents.cesql.tck",
};

/**
 * @typedef {import("../dist/src/filter/cesql/index.js").CesqlValue} CesqlValue
 * @typedef {{ result?: CesqlValue, error?: string }} Expected
 * @typedef {{ value: CesqlValue, errors: string[] }} Actual
 * @typedef {{ name: string, expected: Expected, actual: Actual }} Failure
 * @typedef {{ file: string, total: number, passed: number, failures: Failure[],
 *   overrides: { name: string, reason: string }[] }} FileResult
 */

/**
 * Runs every `*.yaml` file of `dir`.
 * @param {string} dir
 * @returns {Promise<FileResult[]>}
 */
export async function runTck(dir) {
  const cesql = await importBuilt("../dist/src/filter/cesql/index.js");
  const events = await importBuilt("../dist/src/event/cloud-event.js");
  const files = (await readdir(dir)).filter((f) => f.endsWith(".yaml")).sort();
  const results = [];
  for (const file of files) {
    const result = { file, total: 0, passed: 0, failures: [], overrides: [] };
    for (const testCase of readCases(await readFile(join(dir, file), "utf8"), file)) {
      const override = OVERRIDES.find(
        (o) => o.file === file && o.name === testCase.name && o.expression === testCase.expression,
      );
      if (override) result.overrides.push({ name: testCase.name, reason: override.reason });
      const expected = override ? override.expected : testCase.expected;
      const event = events.createCloudEvent(testCase.event);
      const actual = run(cesql, testCase.expression, event);
      result.total++;
      if (agrees(expected, actual)) result.passed++;
      else result.failures.push({ name: testCase.name, expected, actual });
    }
    results.push(result);
  }
  return results;
}

async function importBuilt(path) {
  try {
    return await import(path);
  } catch (error) {
    throw new Error(`Cannot load ${path} (run \`npm run build\` first): ${error.message}`, { cause: error });
  }
}

/**
 * A parse error is a thrown CesqlParseError at compile time; for the TCK it
 * reads as the value FALSE (the expression can never match) plus the error.
 * @returns {Actual}
 */
function run(cesql, expression, event) {
  let compiled;
  try {
    compiled = cesql.compileCesql(expression);
  } catch (error) {
    if (!cesql.isCesqlParseError(error)) throw error;
    return { value: false, errors: ["parse"] };
  }
  const { value, errors } = compiled.evaluate(event);
  return { value, errors: errors.map((e) => e.kind) };
}

/**
 * `result`, when given, must equal the value, type included. `error`, when
 * given, must be the kind of every error raised (at least one); when absent,
 * no error may be raised.
 */
function agrees(expected, actual) {
  if (expected.result !== undefined && expected.result !== actual.value) return false;
  if (expected.error === undefined) return actual.errors.length === 0;
  return actual.errors.length > 0 && actual.errors.every((kind) => kind === expected.error);
}

/**
 * Reads one TCK file with the YAML 1.2 core schema, so `time:` values stay
 * strings. Plain scalars that core reads as numbers or booleans are taken back
 * as written where the TCK means text: expressions (`expression: TRUE`,
 * `expression: -10`) and core attributes (`specversion: 1.0`). Extension
 * values keep their YAML type: an integer is an Integer attribute, a boolean
 * a Boolean one (`myint: 10` must evaluate to 10).
 */
function readCases(text, file) {
  const doc = parseDocument(text, { schema: "core" });
  if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0].message}`);
  const tests = doc.get("tests", true);
  if (!isSeq(tests)) throw new Error(`${file}: no tests list`);
  return tests.items.map((node, i) => {
    if (!isMap(node)) throw new Error(`${file}: test #${i + 1} is not a map`);
    const field = (key) => node.get(key, true);
    const name = textOf(field("name")) ?? `#${i + 1}`;
    const expression = textOf(field("expression"));
    if (expression === undefined) throw new Error(`${file}: "${name}" has no expression`);
    const event = isMap(field("event"))
      ? attributesOf(field("event"))
      : { ...BASE_EVENT, ...(isMap(field("eventOverrides")) ? attributesOf(field("eventOverrides")) : {}) };
    const result = field("result");
    const error = field("error");
    return {
      name,
      expression,
      event: toEventParts(event),
      expected: {
        result: isScalar(result) ? result.value : undefined,
        error: isScalar(error) ? String(error.value) : undefined,
      },
    };
  });
}

/** A scalar as text: strings as they are, other plain scalars as written. */
function textOf(node) {
  if (!isScalar(node) || node.value === null) return undefined;
  return typeof node.value === "string" ? node.value : (node.source ?? String(node.value));
}

/** Attribute name -> string | int32 | boolean, following the rules of readCases. */
function attributesOf(map) {
  const attributes = {};
  for (const pair of map.items) {
    const name = String(isScalar(pair.key) ? pair.key.value : pair.key);
    const node = pair.value;
    if (!isScalar(node) || node.value === null) continue; // JSON null: attribute absent
    const v = node.value;
    const typed =
      !CORE_ATTRIBUTES.has(name) &&
      (typeof v === "boolean" || (typeof v === "number" && Number.isInteger(v) && v === (v | 0)));
    attributes[name] = typed ? v : textOf(node);
  }
  return attributes;
}

/** Splits attributes into the core object and an extensions Map for createCloudEvent. */
function toEventParts(attributes) {
  const core = {};
  const extensions = new Map();
  for (const [name, value] of Object.entries(attributes)) {
    if (CORE_ATTRIBUTES.has(name)) core[name] = value;
    else extensions.set(name, value);
  }
  return { attributes: core, extensions };
}

/** @param {FileResult[]} results */
function report(dir, results) {
  const width = Math.max(...results.map((r) => r.file.length), 5);
  const row = (a, b, c) => `${a.padEnd(width)}  ${String(b).padStart(5)}  ${String(c).padStart(6)}`;
  console.log(`CESQL TCK: ${dir}\n`);
  console.log(row("file", "total", "passed"));
  for (const r of results) console.log(row(r.file, r.total, r.passed));
  const total = results.reduce((n, r) => n + r.total, 0);
  const passed = results.reduce((n, r) => n + r.passed, 0);
  console.log(row("TOTAL", total, passed));
  for (const r of results) {
    for (const o of r.overrides) console.log(`\noverridden: ${r.file} "${o.name}": ${o.reason}`);
  }
  for (const r of results) {
    for (const f of r.failures) {
      console.log(`\nFAIL ${r.file} "${f.name}"`);
      console.log(`  expected ${JSON.stringify(f.expected)}`);
      console.log(`  actual   ${JSON.stringify(f.actual)}`);
    }
  }
  const ok = total === EXPECTED_CASES && passed === total;
  if (total !== EXPECTED_CASES) console.log(`\nexpected ${EXPECTED_CASES} cases, found ${total}`);
  console.log(`\n${ok ? "PASS" : "FAIL"}: ${passed}/${total}`);
  return ok;
}

const invokedDirectly = () => {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(resolve(script)) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
};

if (invokedDirectly()) {
  const dir = resolve(process.argv[2] ?? defaultTckDir());
  try {
    process.exitCode = report(dir, await runTck(dir)) ? 0 : 1;
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 2;
  }
}
