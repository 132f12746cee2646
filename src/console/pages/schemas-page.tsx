/** @jsxImportSource hono/jsx */
/**
 * The schema browser: the registry's types, a type's versions, one version's
 * schema and its `examples`, the changes between two versions (the
 * compatibility checker's findings both ways, and a line diff), and a form
 * to register the next version (sent by the client script with the CSRF token).
 */
import type { SchemaRegistry } from "../../schemas/schema-registry.js";
import { checkCompatibility } from "../../tooling/compatibility/index.js";
import type { SchemaExample } from "../console-app.js";
import { lineDiff } from "../line-diff.js";

export interface SchemasQuery {
  readonly type?: string | undefined;
  readonly version?: number | undefined;
  readonly from?: number | undefined;
  readonly to?: number | undefined;
}

const pretty = (value: unknown) => JSON.stringify(value, null, 2);
const link = (query: Record<string, string | number>) =>
  `/console/schemas?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}`;

function Versions(props: {
  registry: SchemaRegistry;
  type: string;
  query: SchemasQuery;
  examples: readonly SchemaExample[];
}) {
  const { registry, type, query } = props;
  const versions = registry.versions(type);
  if (versions.length === 0) return <p class="error">No schema for type {type} in the registry.</p>;
  const shown = registry.get(type, query.version ?? (versions.at(-1)?.version as number)) ?? versions.at(-1);
  const examples = shown?.schema.examples;
  const last = versions.at(-1)?.version ?? 1;
  return (
    <div>
      <h2>{type}</h2>
      <p>
        Versions:{" "}
        {versions.map((v) => (
          <a href={link({ type, version: v.version })} class={v === shown ? "current" : undefined}>
            {` ${v.version} `}
          </a>
        ))}
      </p>
      {shown ? (
        <div>
          <h3>
            Version {shown.version} <span class="muted">{shown.id}</span>
          </h3>
          <pre class="json">{pretty(shown.schema)}</pre>
          <h3>Examples</h3>
          {Array.isArray(examples) && examples.length > 0 ? (
            examples.map((example) => <pre class="json">{pretty(example)}</pre>)
          ) : (
            <p class="muted">This version's schema has no `examples`.</p>
          )}
          {props.examples.length > 0 ? <h3>Example events ({type}/examples)</h3> : null}
          {props.examples.map((example) => (
            <details class="example">
              <summary>{example.name}</summary>
              <pre class="json">
                {typeof example.content === "string" ? example.content : pretty(example.content)}
              </pre>
            </details>
          ))}
        </div>
      ) : null}
      {versions.length > 1 ? (
        <form method="get" action="/console/schemas" class="filters">
          <input type="hidden" name="type" value={type} />
          <label>
            Changes from version{" "}
            <input name="from" type="number" min={1} value={String(query.from ?? last - 1)} />
          </label>
          <label>
            to <input name="to" type="number" min={1} value={String(query.to ?? last)} />
          </label>
          <button type="submit">Compare</button>
        </form>
      ) : null}
      {query.from !== undefined && query.to !== undefined ? (
        <Diff registry={registry} type={type} from={query.from} to={query.to} />
      ) : null}
      <h3>Register the next version</h3>
      <form id="register-form" data-type={type}>
        <textarea id="register-schema" rows={10} spellcheck={false}>
          {shown ? pretty(shown.schema) : "{}"}
        </textarea>
        <button type="submit">Register version {last + 1}</button>
      </form>
      <div id="register-result"></div>
    </div>
  );
}

function Diff(props: { registry: SchemaRegistry; type: string; from: number; to: number }) {
  const before = props.registry.get(props.type, props.from);
  const after = props.registry.get(props.type, props.to);
  if (before === undefined || after === undefined)
    return <p class="error">Both versions must exist to compare them.</p>;
  const backward = checkCompatibility([before.schema], after.schema, "BACKWARD");
  const forward = checkCompatibility([before.schema], after.schema, "FORWARD");
  const changes = [
    ...backward.breaking,
    ...backward.undecidable,
    ...forward.breaking,
    ...forward.undecidable,
  ];
  return (
    <div id="schema-diff">
      <h3>
        From version {props.from} to {props.to}
      </h3>
      <p>
        Backward compatible (readers of {props.to} read events written for {props.from}):{" "}
        <strong>{backward.compatible ? "yes" : "no"}</strong>; forward compatible:{" "}
        <strong>{forward.compatible ? "yes" : "no"}</strong>
      </p>
      {changes.length > 0 ? (
        <ul>
          {changes.map((c) => (
            <li>
              <code>{c.rule}</code> ({c.direction}) at <code>{c.path || "/"}</code>: {c.message}
            </li>
          ))}
        </ul>
      ) : null}
      <pre class="diff">
        {lineDiff(pretty(before.schema), pretty(after.schema)).map((line) => (
          <span class={line.op === "+" ? "added" : line.op === "-" ? "removed" : undefined}>
            {`${line.op} ${line.text}`}
          </span>
        ))}
      </pre>
    </div>
  );
}

export function SchemasPage(props: {
  registry: SchemaRegistry | undefined;
  query: SchemasQuery;
  examples: readonly SchemaExample[];
}) {
  const { registry, query } = props;
  if (registry === undefined) {
    return (
      <section>
        <h1>Schemas</h1>
        <p class="muted">This gateway has no schema registry (`schemas` in the config).</p>
      </section>
    );
  }
  const types = registry.types();
  return (
    <section>
      <h1>Schemas</h1>
      <div class="columns">
        <ul class="types">
          {types.length === 0 ? <li class="muted">No types registered yet.</li> : null}
          {types.map((type) => (
            <li>
              <a href={link({ type })} class={type === query.type ? "current" : undefined}>
                {type}
              </a>{" "}
              <span class="muted">({registry.versions(type).length})</span>
            </li>
          ))}
        </ul>
        <div>
          {query.type !== undefined ? (
            <Versions registry={registry} type={query.type} query={query} examples={props.examples} />
          ) : (
            <p class="muted">Pick a type.</p>
          )}
        </div>
      </div>
    </section>
  );
}
