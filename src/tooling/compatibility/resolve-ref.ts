/**
 * Follows `$ref`: a local JSON Pointer or anchor, an embedded `$id` resource,
 * or another document obtained from the caller's resolver (loaded once per check).
 */
import type { Env } from "./env.js";
import { unescapePointer } from "./json-values.js";
import {
  childNode,
  createDocument,
  isSchema,
  rootNode,
  type SchemaDocument,
  type SchemaNode,
  splitReference,
} from "./schema-node.js";

function loadDocument(env: Env, uri: string, fragment: string, from: SchemaNode): SchemaNode | undefined {
  const cached = env.loaded.get(uri);
  let doc: SchemaDocument | null | undefined = cached;
  if (cached === undefined) {
    const schema = env.resolve?.(uri, from.base);
    doc = isSchema(schema) ? createDocument(schema, { uri, top: false, inherited: from.doc.dialect }) : null;
    env.loaded.set(uri, doc);
  }
  if (doc !== null && doc !== undefined) return doc.resources.get(uri) ?? rootNode(doc);
  if (fragment === "") return undefined;
  const key = `${uri}#${fragment}`;
  let detached = env.loaded.get(key);
  if (detached === undefined) {
    const schema = env.resolve?.(key, from.base);
    detached = isSchema(schema)
      ? createDocument(schema, { uri, top: false, detached: true, inherited: from.doc.dialect })
      : null;
    env.loaded.set(key, detached);
  }
  return detached === null ? undefined : rootNode(detached);
}

function applyFragment(resource: SchemaNode, fragment: string): SchemaNode | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(fragment);
  } catch {
    return undefined;
  }
  if (decoded === "") return resource;
  if (decoded.startsWith("/")) return childNode(resource, decoded.slice(1).split("/").map(unescapePointer));
  return resource.doc.anchors.get(`${resource.base ?? ""}#${decoded}`);
}

/** The node a `$ref` (or `$dynamicRef` read statically) at `from` points to, or undefined. */
export function resolveRef(from: SchemaNode, ref: string, env: Env): SchemaNode | undefined {
  const { uri, fragment } = splitReference(ref, from.base);
  if (from.doc.detached && uri === from.doc.uri) return undefined;
  const local = from.doc.resources.get(uri ?? "");
  if (local !== undefined) return applyFragment(local, fragment);
  if (uri === undefined) return undefined;
  const resource = loadDocument(env, uri, fragment, from);
  if (resource === undefined) return undefined;
  return resource.doc.detached ? resource : applyFragment(resource, fragment);
}
