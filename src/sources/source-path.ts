/**
 * A source's path, literal (`/hooks/github`) or a template with named parts
 * (`/v1/projects/{project}/topics/{topic}:publish`), which a cloud API's URL
 * needs: a producer's SDK puts the resource in the path. A `{name}` part
 * matches one or more characters other than `/` and `:` (a Google resource
 * name never holds either, and `:` starts a custom method such as `:publish`),
 * and is handed to the source in SourceRequest.pathParams.
 *
 * Hand-written rather than Hono's router: the Node fast path matches sources
 * without the Hono app, and the two must agree on what a path means.
 */

export type PathParams = Readonly<Record<string, string>>;

export const NO_PATH_PARAMS: PathParams = Object.freeze({});

export interface SourcePath {
  readonly template: string;
  /** The names of the template's parts, in order; empty for a literal path. */
  readonly names: readonly string[];
  /** The parts' values when `path` matches, else undefined. */
  match(path: string): PathParams | undefined;
}

const PART = /\{([a-z][A-Za-z0-9]*)\}/g;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Throws an Error saying why when the template cannot be used (the same name twice, parts side by side). */
export function compileSourcePath(template: string): SourcePath {
  const names = [...template.matchAll(PART)].map((m) => m[1] as string);
  if (names.length === 0) {
    return { template, names, match: (path) => (path === template ? NO_PATH_PARAMS : undefined) };
  }
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated !== undefined) throw new Error(`{${repeated}} appears more than once`);
  if (/\}\{/.test(template)) throw new Error("two {parts} side by side cannot be told apart");
  const literals = template.split(PART).filter((_, i) => i % 2 === 0);
  const pattern = new RegExp(`^${literals.map(escapeRegExp).join("([^/:]+)")}$`);
  return {
    template,
    names,
    match(path) {
      const found = pattern.exec(path);
      if (found === null) return undefined;
      const params: Record<string, string> = Object.create(null);
      names.forEach((name, i) => {
        params[name] = found[i + 1] as string;
      });
      return params;
    },
  };
}
