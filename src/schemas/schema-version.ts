/**
 * One version of an event type's data schema, as the registry holds it: the
 * layout is `<event type>/<n>.json` (or .yaml); the schema's `$id` is the URI
 * events name in `dataschema`.
 */
import { parse as parseYaml } from "yaml";

export type SchemaDraft = "draft-07" | "2020-12";

export type JsonSchemaObject = Readonly<Record<string, unknown>>;

export interface SchemaVersion {
  readonly eventType: string;
  readonly version: number;
  /** The schema's `$id`: what an event's `dataschema` names. */
  readonly id: string;
  readonly draft: SchemaDraft;
  readonly schema: JsonSchemaObject;
}

/** `$id` for a schema that declares none. */
export const defaultSchemaId = (eventType: string, version: number) =>
  `urn:ce-gateway:schema:${eventType}:${version}`;

const DRAFT_2020 = /json-schema\.org\/draft\/2020-12\/schema/;

export function draftOf(schema: JsonSchemaObject): SchemaDraft {
  const declared = schema.$schema;
  if (declared === undefined || (typeof declared === "string" && /draft-0[67]\/schema/.test(declared)))
    return "draft-07";
  if (typeof declared === "string" && DRAFT_2020.test(declared)) return "2020-12";
  throw new Error(`unsupported $schema ${JSON.stringify(declared)} (use draft-07 or 2020-12)`);
}

/** `com.example.order.created/3.json` -> type and version; undefined for anything else (examples, stray files). */
export function schemaPathParts(relativePath: string): { eventType: string; version: number } | undefined {
  const match = /^([^/]+)\/([1-9][0-9]*)\.(json|ya?ml)$/.exec(relativePath);
  if (match === null) return undefined;
  return { eventType: match[1] as string, version: Number(match[2]) };
}

/** Parses a schema file's text (JSON or YAML) into a version; throws with a clear message. */
export function parseSchemaVersion(
  eventType: string,
  version: number,
  text: string,
  yaml: boolean,
): SchemaVersion {
  const parsed: unknown = yaml ? parseYaml(text, { version: "1.2" }) : JSON.parse(text);
  return toSchemaVersion(eventType, version, parsed);
}

export function toSchemaVersion(eventType: string, version: number, parsed: unknown): SchemaVersion {
  if (typeof parsed === "boolean") parsed = parsed ? {} : { not: {} };
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new Error("a schema must be a JSON object");
  const schema = parsed as JsonSchemaObject;
  const declaredId = schema.$id;
  if (declaredId !== undefined && (typeof declaredId !== "string" || declaredId === ""))
    throw new Error("$id must be a non-empty string");
  const id = (declaredId as string | undefined) ?? defaultSchemaId(eventType, version);
  return {
    eventType,
    version,
    id,
    draft: draftOf(schema),
    schema: declaredId === undefined ? { ...schema, $id: id } : schema,
  };
}
