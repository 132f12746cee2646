/**
 * The shared HTTP conformance cases as requests and expected answers, one
 * table for every runtime that runs them (the Node app, the Worker wrangler
 * builds), so the runs cannot drift apart.
 */
import { readdirSync, readFileSync } from "node:fs";
import { encodeHeaderValue } from "../../src/codec/header-value.js";
import { isJsonContentType } from "../../src/codec/media-type.js";
import { type FeatureCase, readFeatureCases, readYamlCases, type YamlCase } from "./conformance-cases.js";
import { BATCH, STRUCTURED } from "./gateway.js";
import { sharedAvailable, sharedPath } from "./shared-dir.js";

export type ContentMode = "binary" | "structured";

export interface ConformanceRequest {
  readonly headers: Record<string, string>;
  readonly body: string | null;
}

/** The request a YAML case describes, in `mode`. */
export function requestFor(c: YamlCase, mode: ContentMode): ConformanceRequest {
  const { datacontenttype, ...attributes } = { ...c.attributes, ...c.extensions };
  if (mode === "binary") {
    const headers: Record<string, string> = { ...c.transport };
    for (const [name, value] of Object.entries(attributes)) headers[`ce-${name}`] = encodeHeaderValue(value);
    if (datacontenttype !== undefined) headers["content-type"] = datacontenttype;
    return { headers, body: c.data ?? null };
  }
  const dataMember =
    c.data === undefined
      ? ""
      : `,"data":${isJsonContentType(datacontenttype) ? c.data : JSON.stringify(c.data)}`;
  const json = JSON.stringify(
    datacontenttype === undefined ? attributes : { ...attributes, datacontenttype },
  );
  return { headers: { ...c.transport, ...STRUCTURED }, body: `${json.slice(0, -1)}${dataMember}}` };
}

/**
 * v1.yaml's comexampleextension2 is a YAML block scalar ending in a newline,
 * and the String type forbids control characters: the gateway must refuse it.
 */
export const hasControlCharacter = (c: YamlCase) =>
  Object.values(c.extensions).some((v) => [...v].some((ch) => ch.charCodeAt(0) < 0x20));

/** The CloudEvents 1.0 YAML cases (empty without the shared data). */
export const v1YamlCases = (): YamlCase[] =>
  sharedAvailable
    ? [
        ...readYamlCases(sharedPath("conformance/http/conformance-yaml/v1.yaml")),
        ...readYamlCases(sharedPath("conformance/http/conformance-yaml/v1.0/v1_minimum.yaml")),
      ]
    : [];

/** The CloudEvents 0.3 YAML files, refused with 400. */
export const V03_YAML_FILES = ["v03.yaml", "v0.3/v03_minimum.yaml"] as const;

export const v03YamlCases = (file: (typeof V03_YAML_FILES)[number]): YamlCase[] =>
  readYamlCases(sharedPath("conformance/http/conformance-yaml", file));

/** The Gherkin HTTP binding feature's scenarios (empty without the shared data). */
export const featureCases = (): FeatureCase[] =>
  sharedAvailable
    ? readFeatureCases(sharedPath("conformance/http/features/http-protocol-binding.feature"))
    : [];

/** The sdk-javascript structured example payloads, by file name (empty without the shared data). */
export function sdkExamples(): { file: string; body: string }[] {
  if (!sharedAvailable) return [];
  const dir = sharedPath("conformance/http/sdk-javascript-examples");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((file) => ({ file, body: readFileSync(`${dir}/${file}`, "utf8") }));
}

/** What the gateway must answer to a request of the table. */
export type ExpectedAnswer =
  | {
      readonly status: 202;
      /** The attributes of each event accepted, in order (where the case states them). */
      readonly events: readonly (Record<string, string> | undefined)[];
    }
  | { readonly status: 400; readonly error: { readonly pointer: string; readonly code: string } };

export interface ConformanceEntry {
  readonly title: string;
  readonly request: ConformanceRequest;
  readonly expected: ExpectedAnswer;
}

const refusedSpecversion = {
  status: 400,
  error: { pointer: "/specversion", code: "unsupported-specversion" },
} as const;

/**
 * Every request the shared HTTP data describes, with the answer it must get:
 * the YAML cases in both modes (0.3 refused), the feature's scenarios, the
 * sdk-javascript examples one by one and as one batch.
 */
export function conformanceTable(): ConformanceEntry[] {
  const entries: ConformanceEntry[] = [];
  for (const c of v1YamlCases()) {
    for (const mode of ["binary", "structured"] as const) {
      entries.push({
        title: `${c.title} in ${mode} mode`,
        request: requestFor(c, mode),
        expected: hasControlCharacter(c)
          ? { status: 400, error: { pointer: "/comexampleextension2", code: "invalid-string" } }
          : { status: 202, events: [{ ...c.attributes, ...c.extensions }] },
      });
    }
  }
  for (const file of sharedAvailable ? V03_YAML_FILES : []) {
    for (const [i, c] of v03YamlCases(file).entries()) {
      entries.push({
        title: `${file} #${i + 1} (CloudEvents 0.3) in ${c.mode} mode`,
        request: requestFor(c, c.mode),
        expected: refusedSpecversion,
      });
    }
  }
  for (const c of featureCases()) {
    entries.push({
      title: c.title,
      request: { headers: c.headers, body: c.body },
      expected: { status: 202, events: [c.attributes] },
    });
  }
  const examples = sdkExamples();
  for (const { file, body } of examples) {
    entries.push({
      title: `sdk-javascript ${file}`,
      request: { headers: STRUCTURED, body },
      expected: { status: 202, events: [undefined] },
    });
  }
  if (examples.length > 0) {
    entries.push({
      title: "the sdk-javascript examples as one batch",
      request: { headers: BATCH, body: `[${examples.map((e) => e.body.trim()).join(",")}]` },
      expected: { status: 202, events: examples.map(() => undefined) },
    });
  }
  return entries;
}
