/**
 * Schema documents and the nodes inside them. A node is a schema together with
 * what is needed to read it: its base URI (for `$ref`), its document (for
 * local pointers and the dialect) and its JSON Pointer (for reports).
 * Documents are indexed once: embedded `$id` resources and anchors.
 */
import { escapePointer, isRecord } from "./json-values.js";
import { type Position, positionAfter, subschemasOf } from "./keywords.js";

/** A JSON Schema: an object or a boolean. */
export type Schema = boolean | Readonly<Record<string, unknown>>;

export interface Dialect {
  /** Draft-07 arrays (`items` list + `additionalItems`) or 2020-12 arrays (`prefixItems` + `items`). */
  readonly arrays: "draft-07" | "2020-12";
  /**
   * Whether keywords beside `$ref` certainly apply (2019-09 and later) or may
   * be ignored (draft-07: the specification ignores them, Ajv applies them).
   */
  readonly refSiblings: "applied" | "ambiguous";
}

/** Whether 2019-09 keywords (`dependentRequired`, `minContains`, ...) apply in this dialect. */
export function laterKeywordsApply(dialect: Dialect): boolean {
  return dialect.arrays === "2020-12" || dialect.refSiblings === "applied";
}

export interface SchemaDocument {
  readonly root: Schema;
  /** Absolute URI of the document, without fragment, when known. */
  readonly uri: string | undefined;
  readonly dialect: Dialect;
  /** The documents being compared report bare pointers; documents reached by `$ref` prefix their URI. */
  readonly top: boolean;
  /** A subschema the resolver returned on its own: references back into its document cannot be followed. */
  readonly detached: boolean;
  /** Embedded resources by absolute URI ("" for a root without URI). */
  readonly resources: ReadonlyMap<string, SchemaNode>;
  /** Anchors by "<resource URI>#<name>". */
  readonly anchors: ReadonlyMap<string, SchemaNode>;
}

export interface SchemaNode {
  readonly schema: Schema;
  readonly base: string | undefined;
  readonly doc: SchemaDocument;
  readonly pointer: string;
}

export function isSchema(value: unknown): value is Schema {
  return typeof value === "boolean" || isRecord(value);
}

/** A reference split into its absolute resource URI (when it has one) and its fragment. */
export function splitReference(
  ref: string,
  base: string | undefined,
): { uri: string | undefined; fragment: string } {
  const hash = ref.indexOf("#");
  const fragment = hash < 0 ? "" : ref.slice(hash + 1);
  const path = hash < 0 ? ref : ref.slice(0, hash);
  if (path === "") return { uri: base, fragment };
  try {
    const url = new URL(path, base);
    url.hash = "";
    return { uri: url.href, fragment };
  } catch {
    return { uri: path, fragment };
  }
}

/** The base URI inside a schema: changed by an `$id` that is not a bare fragment. */
export function baseWithin(schema: unknown, base: string | undefined): string | undefined {
  if (!isRecord(schema) || typeof schema.$id !== "string" || schema.$id.startsWith("#")) return base;
  return splitReference(schema.$id, base).uri;
}

/** The node at a path of keyword segments below a node, or undefined when no schema is there. */
export function childNode(node: SchemaNode, segments: readonly (string | number)[]): SchemaNode | undefined {
  let value: unknown = node.schema;
  let base = node.base;
  let pointer = node.pointer;
  let position: Position = "schema";
  for (const raw of segments) {
    const segment = String(raw);
    const next: unknown = Array.isArray(value)
      ? value[Number(segment)]
      : isRecord(value) && Object.hasOwn(value, segment)
        ? value[segment]
        : undefined;
    if (next === undefined) return undefined;
    position = positionAfter(position, segment, next);
    if (position === "schema") base = baseWithin(next, base);
    value = next;
    pointer = `${pointer}/${escapePointer(segment)}`;
  }
  return isSchema(value) ? { schema: value, base, doc: node.doc, pointer } : undefined;
}

/**
 * The dialect a document is read in: from `$schema`, else the referring
 * document's, else draft-07 (as the registry compiles it).
 */
export function dialectOf(root: Schema, inherited: Dialect | undefined): Dialect {
  const declared = isRecord(root) && typeof root.$schema === "string" ? root.$schema : undefined;
  if (declared?.includes("2020-12")) return { arrays: "2020-12", refSiblings: "applied" };
  if (declared?.includes("2019-09")) return { arrays: "draft-07", refSiblings: "applied" };
  if (declared === undefined && inherited !== undefined) return inherited;
  return { arrays: "draft-07", refSiblings: "ambiguous" };
}

const INDEX_LIMIT = 10_000;

/** Reads a document: its URI, dialect, embedded resources and anchors. */
export function createDocument(
  root: Schema,
  options: {
    readonly uri?: string | undefined;
    readonly top: boolean;
    readonly detached?: boolean;
    readonly inherited?: Dialect | undefined;
  },
): SchemaDocument {
  const resources = new Map<string, SchemaNode>();
  const anchors = new Map<string, SchemaNode>();
  const uri = baseWithin(root, options.uri);
  const doc: SchemaDocument = {
    root,
    uri,
    dialect: dialectOf(root, options.inherited),
    top: options.top,
    detached: options.detached ?? false,
    resources,
    anchors,
  };
  const rootNode: SchemaNode = { schema: root, base: uri, doc, pointer: "" };
  resources.set(uri ?? "", rootNode);
  const pending: SchemaNode[] = [rootNode];
  for (let seen = 0; pending.length > 0 && seen < INDEX_LIMIT; seen++) {
    const node = pending.pop() as SchemaNode;
    const schema = node.schema;
    if (!isRecord(schema)) continue;
    if (typeof schema.$id === "string" && !schema.$id.startsWith("#") && node.base !== undefined) {
      if (!resources.has(node.base)) resources.set(node.base, node);
    }
    const anchorNames = [schema.$anchor, schema.$dynamicAnchor];
    if (typeof schema.$id === "string" && schema.$id.startsWith("#")) anchorNames.push(schema.$id.slice(1));
    for (const name of anchorNames) {
      if (typeof name === "string" && name !== "") anchors.set(`${node.base ?? ""}#${name}`, node);
    }
    for (const [segments] of subschemasOf(schema)) {
      const child = childNode(node, segments);
      if (child !== undefined) pending.push(child);
    }
  }
  return doc;
}

/** The node of a document's root. */
export function rootNode(doc: SchemaDocument): SchemaNode {
  return { schema: doc.root, base: doc.uri, doc, pointer: "" };
}

/** Where a node is, for reports: a bare pointer in a compared document, else "<uri>#<pointer>". */
export function reportPath(node: SchemaNode, ...keywords: readonly (string | number)[]): string {
  const pointer = node.pointer + keywords.map((keyword) => `/${escapePointer(keyword)}`).join("");
  return node.doc.top ? pointer : `${node.doc.uri ?? ""}#${pointer}`;
}
