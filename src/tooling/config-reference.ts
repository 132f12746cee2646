/**
 * The configuration reference (docs/config.md), rendered from the config's
 * JSON Schema: one section per top-level key, one table row per key with
 * its type, default, constraints and description, and a subsection per
 * variant where the schema switches on a `type` (targets, sources, stores).
 * Generated, so the reference cannot fall behind the schema the gateway checks
 * configs with; `npm run docs:config` writes it and a test compares.
 */

type Schema = Record<string, unknown> & {
  type?: string | string[];
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: boolean | Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  if?: Schema;
  then?: Schema;
  $ref?: string;
  $defs?: Record<string, Schema>;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
};

interface Row {
  readonly key: string;
  readonly type: string;
  readonly required: boolean;
  readonly default: string;
  readonly notes: string;
}

interface Section {
  readonly title: string;
  readonly description: string;
  readonly rows: Row[];
}

const code = (value: unknown) => `\`${JSON.stringify(value)}\``;
/** Markdown table cells: one line, no unescaped pipe. */
const cell = (text: string) => text.replace(/\s*\n\s*/g, " ").replaceAll("|", "\\|");
const anchor = (title: string) =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, "")
    .replaceAll(" ", "-");

function refName(ref: string): string {
  return ref.split("/").pop() ?? ref;
}

function typeOf(schema: Schema): string {
  if (schema.$ref !== undefined) return `[${refName(schema.$ref)}](#${anchor(refName(schema.$ref))})`;
  if (schema.const !== undefined) return code(schema.const);
  if (schema.enum !== undefined) return schema.enum.map(code).join(" | ");
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives !== undefined) return [...new Set(alternatives.map(typeOf))].join(" or ");
  if (schema.type === "array") return `array of ${typeOf(schema.items ?? {})}`;
  if (Array.isArray(schema.type)) return schema.type.join(" or ");
  const values = schema.additionalProperties;
  if (schema.type === "object" && typeof values === "object" && schema.properties === undefined)
    return `map of ${typeOf(values)}`;
  return schema.type ?? "any";
}

const CONSTRAINTS: readonly [string, string][] = [
  ["minimum", "≥"],
  ["exclusiveMinimum", ">"],
  ["maximum", "≤"],
  ["minLength", "length ≥"],
  ["maxLength", "length ≤"],
  ["minItems", "items ≥"],
  ["maxItems", "items ≤"],
  ["pattern", "matches"],
  ["format", "format"],
];

function notesOf(schema: Schema): string {
  const limits = CONSTRAINTS.filter(([key]) => schema[key] !== undefined).map(
    ([key, word]) => `${word} ${key === "pattern" || key === "format" ? `\`${schema[key]}\`` : schema[key]}`,
  );
  const description = schema.description ?? "";
  return [description, limits.length > 0 ? `(${limits.join(", ")})` : ""].filter(Boolean).join(" ");
}

/** The `type` value a branch of `allOf: [{ if: { properties: { type: { const } } }, then }]` selects. */
function variantOf(branch: Schema): { field: string; value: unknown; schema: Schema } | undefined {
  const condition = branch.if?.properties;
  if (condition === undefined || branch.then === undefined) return undefined;
  const [field, test] = Object.entries(condition)[0] ?? [];
  if (field === undefined || test?.const === undefined) return undefined;
  return { field, value: test.const, schema: branch.then };
}

class Renderer {
  readonly sections: Section[] = [];

  /** Rows for `schema`'s keys under `path`, and subsections for its variants. */
  keys(schema: Schema, path: string, rows: Row[]): void {
    const required = new Set(schema.required ?? []);
    for (const [key, child] of Object.entries(schema.properties ?? {})) {
      const at = path ? `${path}.${key}` : key;
      rows.push({
        key: at,
        type: typeOf(child),
        required: required.has(key),
        default: child.default === undefined ? "" : code(child.default),
        notes: notesOf(child),
      });
      this.inside(child, at, rows);
    }
    for (const alternative of [...(schema.oneOf ?? []), ...(schema.anyOf ?? [])])
      if (alternative.properties !== undefined) this.keys(alternative, path, rows);
    for (const branch of schema.allOf ?? []) {
      const variant = variantOf(branch);
      if (variant === undefined) continue;
      const sub: Row[] = [];
      this.keys(variant.schema, path, sub);
      this.sections.push({
        title: `\`${path}\` with ${variant.field}: \`${String(variant.value)}\``,
        description: variant.schema.description ?? "",
        rows: sub,
      });
    }
  }

  /** The keys of what a key holds: an object's, an array item's, a map value's. */
  inside(schema: Schema, path: string, rows: Row[]): void {
    const values = schema.additionalProperties;
    if (schema.type === "array" && schema.items !== undefined) this.inside(schema.items, `${path}[]`, rows);
    else if (typeof values === "object" && schema.properties === undefined)
      this.keys(values, `${path}.<name>`, rows);
    else this.keys(schema, path, rows);
  }

  section(title: string, schema: Schema): void {
    const rows: Row[] = [];
    const holdsKeys =
      schema.properties !== undefined ||
      schema.items !== undefined ||
      typeof schema.additionalProperties === "object" ||
      schema.oneOf?.some((s) => s.properties !== undefined) === true;
    // A key that holds a plain value (version, unmatched) is its own one row.
    if (!holdsKeys)
      rows.push({
        key: title,
        type: typeOf(schema),
        required: false,
        default: schema.default === undefined ? "" : code(schema.default),
        notes: notesOf({ ...schema, description: "" }),
      });
    const at = this.sections.length;
    this.inside(schema, title, rows);
    // The section itself comes before the variant subsections its keys added.
    this.sections.splice(at, 0, { title, description: schema.description ?? "", rows });
  }
}

function table(rows: readonly Row[]): string[] {
  if (rows.length === 0) return [];
  const seen = new Set<string>();
  const unique = rows.filter((row) => {
    const id = `${row.key} ${row.type} ${row.notes}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  return [
    "| Key | Type | Default | Description |",
    "|---|---|---|---|",
    ...unique.map(
      (row) =>
        `| \`${row.key}\`${row.required ? " (required)" : ""} | ${cell(row.type)} | ${cell(row.default)} | ${cell(row.notes)} |`,
    ),
    "",
  ];
}

export function configReference(schema: Schema): string {
  const renderer = new Renderer();
  for (const [key, child] of Object.entries(schema.properties ?? {})) renderer.section(key, child);
  for (const [name, definition] of Object.entries(schema.$defs ?? {})) renderer.section(name, definition);
  const lines = [
    "# Configuration reference",
    "",
    "<!-- Generated from the config's JSON Schema by `npm run docs:config`: do not edit. -->",
    "",
    `${schema.description ?? ""}`,
    "",
    "The editor's copy of the schema: `npx ce-gateway config schema > gateway.schema.json`, and",
    "`# yaml-language-server: $schema=./gateway.schema.json` as the config's first line.",
    "`a.b` is key `b` in object `a`; `a[]` an item of list `a`; `a.<name>` a value of map `a`.",
    "",
    // Titles are code (`targets.<name>`): a bare <name> would be read as an HTML tag.
    ...renderer.sections.map((s) => `- [${s.title}](#${anchor(s.title)})`),
    "",
  ];
  for (const section of renderer.sections) {
    const level = section.title.includes(" with ") ? "###" : "##";
    lines.push(`${level} ${section.title}`, "");
    if (section.description) lines.push(section.description, "");
    lines.push(...table(section.rows));
  }
  return `${lines
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()}\n`;
}
