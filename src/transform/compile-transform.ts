/**
 * Compiles a route's transform once, when the config loads: every expression
 * (refusing syntax errors and unrooted paths, with their position) and every
 * attribute name. All problems of one transform are reported together.
 */
import {
  type CompiledExpression,
  compileExpression,
  ExpressionError,
} from "../expression/compile-expression.js";
import { isValidAttributeName } from "../normalize/attribute-rules.js";
import { EVENT_PATHS } from "./event-paths.js";
import type { TransformConfig } from "./transform-config.js";

export interface AttributeMapping {
  readonly name: string;
  readonly expression: CompiledExpression;
}

export interface CompiledTransform {
  /** In the order configured. */
  readonly attributes: readonly AttributeMapping[];
  readonly data: CompiledExpression | undefined;
  /**
   * Equal for transforms written alike: an event goes once to each distinct
   * (target, transform), so two routes with the same transform collapse.
   */
  readonly key: string;
}

/** Where in an expression a problem is, for the config's line and column (one-line expressions). */
export interface ExpressionPosition {
  readonly line: number;
  readonly column: number;
}

export interface TransformProblem {
  /** Below the transform: `["attributes", "subject"]`, `["data"]`. */
  readonly path: readonly string[];
  readonly message: string;
  readonly cause?: ExpressionPosition;
}

export class TransformCompileError extends Error {
  constructor(readonly problems: readonly TransformProblem[]) {
    super(problems.map((p) => p.message).join("; "));
    this.name = "TransformCompileError";
  }
}

/** JSONata's position (1-based, at the end of the token at fault) as a line and column of the text. */
function positionIn(text: string, position: number | undefined): ExpressionPosition | undefined {
  if (position === undefined) return undefined;
  const upTo = text.slice(0, Math.max(0, position - 1));
  const lineStart = upTo.lastIndexOf("\n") + 1;
  return { line: upTo.split("\n").length, column: Math.max(1, position - lineStart) };
}

function nameProblem(name: string): string | undefined {
  if (name === "specversion") return "specversion cannot be set: the gateway sends CloudEvents 1.0 only";
  if (name === "data") return '"data" is not an attribute: transform.data sets the data';
  if (!isValidAttributeName(name)) return `"${name}" is not a valid attribute name (a-z, 0-9)`;
  return undefined;
}

/** Compiles a route's transform; undefined for one that changes nothing (the schema refuses `transform: {}`; a config built in code may not). */
export function compileTransform(config: TransformConfig, route: string): CompiledTransform | undefined {
  const problems: TransformProblem[] = [];
  const compile = (text: string, path: readonly string[], what: string): CompiledExpression | undefined => {
    try {
      return compileExpression(text, { roots: EVENT_PATHS });
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      const at = error.position === undefined ? "" : `, at position ${error.position}`;
      const cause = positionIn(text, error.position);
      problems.push({
        path,
        message: `route "${route}", ${what}${at}: ${error.message}`,
        ...(cause && { cause }),
      });
      return undefined;
    }
  };
  const attributes: AttributeMapping[] = [];
  for (const [name, text] of Object.entries(config.attributes ?? {})) {
    const path = ["attributes", name];
    const refusal = nameProblem(name);
    if (refusal !== undefined) {
      problems.push({ path, message: `route "${route}": ${refusal}` });
      continue;
    }
    const expression = compile(text, path, `attribute "${name}"`);
    if (expression !== undefined) attributes.push({ name, expression });
  }
  const data = config.data === undefined ? undefined : compile(config.data, ["data"], "data");
  if (problems.length > 0) throw new TransformCompileError(problems);
  if (attributes.length === 0 && data === undefined) return undefined;
  const written = Object.entries(config.attributes ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { attributes, data, key: JSON.stringify([written, config.data ?? null]) };
}
