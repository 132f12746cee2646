/**
 * Readers for the shared HTTP conformance data: the cloudevents/conformance
 * YAML cases and the Gherkin HTTP binding feature.
 */
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

export interface YamlCase {
  readonly title: string;
  readonly mode: "binary" | "structured";
  readonly attributes: Record<string, string>;
  readonly extensions: Record<string, string>;
  readonly transport: Record<string, string>;
  readonly data: string | undefined;
}

/** Loads YAML with the 1.2 core schema so `1.0` and timestamps stay strings... as far as YAML lets them. */
export function readYamlCases(path: string): YamlCase[] {
  const text = readFileSync(path, "utf8");
  return parseAllDocuments(text, { schema: "failsafe" }).map((document, i) => {
    const value = document.toJS() as Record<string, Record<string, unknown> | string | undefined>;
    const context = { ...(value.ContextAttributes as Record<string, unknown>) };
    const extensions = (context.Extensions ?? {}) as Record<string, string>;
    delete context.Extensions;
    const comment = document.commentBefore?.trim();
    return {
      title: `${path.split("/").slice(-2).join("/")} #${i + 1}${comment ? ` (${comment})` : ""}`,
      mode: value.Mode === "structured" ? "structured" : "binary",
      attributes: context as Record<string, string>,
      extensions,
      transport: (value.TransportExtensions ?? {}) as Record<string, string>,
      data: typeof value.Data === "string" ? value.Data : undefined,
    };
  });
}

export interface FeatureCase {
  readonly title: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly attributes: Record<string, string>;
  readonly data: unknown;
}

const docStrings = (text: string) =>
  [...text.matchAll(/"""\n([\s\S]*?)\n\s*"""/g)].map((m) => dedent(m[1] ?? ""));
const tableRows = (text: string) =>
  text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.startsWith("|"))
    .map((line) =>
      line
        .slice(1, -1)
        .split("|")
        .map((cell) => cell.trim()),
    );

function dedent(block: string): string {
  const lines = block.split("\n");
  const indent = Math.min(
    ...lines.filter((l) => l.trim() !== "").map((l) => l.length - l.trimStart().length),
  );
  return lines.map((l) => l.slice(indent)).join("\n");
}

/** Expands the scenario outlines of a Gherkin HTTP binding feature into requests and expectations. */
export function readFeatureCases(path: string): FeatureCase[] {
  const text = readFileSync(path, "utf8");
  return text
    .split("Scenario Outline:")
    .slice(1)
    .flatMap((scenario) => {
      const [title = ""] = scenario.split("\n");
      const [request = "", dataJson = "null"] = docStrings(scenario);
      const attributesSection = scenario.slice(
        scenario.indexOf("Then the attributes are:"),
        scenario.indexOf("And the data"),
      );
      const attributeRows = tableRows(attributesSection).slice(1);
      const [header = [], ...examples] = tableRows(scenario.slice(scenario.indexOf("Examples:")));
      return examples.map((example) => {
        const substitute = (s: string) =>
          header.reduce((out, name, i) => out.replaceAll(`<${name}>`, example[i] ?? ""), s);
        const [head = "", ...bodyParts] = substitute(request).split("\n\n");
        const headers: Record<string, string> = {};
        for (const line of head.split("\n").slice(1)) {
          const colon = line.indexOf(":");
          const name = line.slice(0, colon).trim().toLowerCase();
          if (name !== "host" && name !== "content-length") headers[name] = line.slice(colon + 1).trim();
        }
        return {
          title: `${title.trim()} / ${example.join(", ")}`,
          headers,
          body: bodyParts.join("\n\n"),
          attributes: Object.fromEntries(attributeRows.map(([k = "", v = ""]) => [k, substitute(v)])),
          data: JSON.parse(dataJson),
        };
      });
    });
}
