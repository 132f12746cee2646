/**
 * The CESQL parser: tokens to syntax tree, by precedence climbing over the
 * levels of spec 3.6 (tightest first): function calls, unary NOT and `-`,
 * LIKE, EXISTS, IN, `* / %`, `+ -`, comparisons, then AND/OR/XOR as one
 * level, all left to right. Syntax errors throw CesqlParseError.
 */
import type { ChainLink, ChainNode, Node } from "./ast.js";
import { INT32_MAX, INT32_MIN } from "./casts.js";
import { CesqlParseError } from "./errors.js";
import { resolveFunction } from "./functions.js";
import { describeToken, type Token, tokenize } from "./lexer.js";
import { compileLikePattern } from "./like.js";
import { binaryOperator, type Infix, postfix } from "./operators.js";

/**
 * How deeply parentheses, unary operators, calls and IN lists may nest: far
 * beyond any real filter, and shallow enough for this recursive parser and
 * the evaluator (256 levels parse cold in under 250 KB of a ~1 MB stack).
 */
export const MAX_NESTING = 256;

const FUNCTION_NAME = /^[A-Za-z][A-Za-z_]*$/;
const ATTRIBUTE_NAME = /^[A-Za-z0-9]+$/;

/** Parses a whole expression; throws CesqlParseError at the first fault. */
export function parseCesql(source: string): Node {
  return new Parser(source).parseAll();
}

class Parser {
  readonly #source: string;
  readonly #lexer: Iterator<Token, void>;
  /** Tokens lexed so far; the parser only ever looks one token ahead of #index. */
  readonly #tokens: Token[] = [];
  #index = 0;
  #nesting = 0;

  constructor(source: string) {
    this.#source = source;
    this.#lexer = tokenize(source);
  }

  parseAll(): Node {
    let root: Node;
    try {
      root = this.#expression(0);
    } catch (error) {
      // MAX_NESTING keeps the recursion well inside a default stack; this only
      // fires when the caller was itself already deep in its stack.
      if (error instanceof RangeError) {
        throw this.#error(this.#peek().start, "the expression is too deeply nested for the available stack");
      }
      throw error;
    }
    const next = this.#peek();
    if (next.kind !== "end")
      throw this.#error(next.start, `unexpected ${describeToken(next)} after a complete expression`);
    return root;
  }

  #expression(minPrecedence: number): Node {
    let left = this.#unary();
    // The chain built in this loop, still open for more operators of its level.
    let open: { node: ChainNode; links: ChainLink[] } | undefined;
    for (;;) {
      const token = this.#peek();
      const infix = this.#infix(token);
      if (infix === undefined || infix.precedence < minPrecedence) return left;
      this.#index += infix.kind !== "binary" && infix.negated ? 2 : 1;
      if (infix.kind === "like") {
        left = this.#like(left, infix.negated, token.start);
      } else if (infix.kind === "in") {
        left = this.#in(left, infix.negated, token.start);
      } else {
        // Left-associative: the right operand only takes tighter operators.
        const operand = this.#expression(infix.precedence + 1);
        const link: ChainLink = { operator: infix.operator, operand, at: token.start };
        if (open !== undefined && open.node === left && open.node.level === infix.level) {
          open.links.push(link);
        } else {
          const links = [link];
          const node: ChainNode = { kind: "chain", level: infix.level, first: left, links, at: left.at };
          open = { node, links };
          left = node;
        }
      }
    }
  }

  #infix(token: Token): Infix | undefined {
    const symbol =
      token.kind === "punctuator" ? token.punctuator : token.kind === "keyword" ? token.keyword : undefined;
    if (symbol === undefined) return undefined;
    const binary = binaryOperator(symbol);
    if (binary !== undefined) return binary;
    if (symbol === "LIKE" || symbol === "IN") return postfix(symbol, false);
    if (symbol === "NOT") {
      // After an operand, NOT can only start NOT LIKE or NOT IN.
      const next = this.#peek(1);
      if (next.kind === "keyword" && (next.keyword === "LIKE" || next.keyword === "IN")) {
        return postfix(next.keyword, true);
      }
      throw this.#error(next.start, `expected LIKE or IN after NOT, found ${describeToken(next)}`);
    }
    return undefined;
  }

  #unary(): Node {
    const token = this.#peek();
    if (token.kind === "keyword" && token.keyword === "NOT") {
      this.#index++;
      this.#enter(token.start);
      const operand = this.#unary();
      this.#nesting--;
      return { kind: "not", operand, at: token.start };
    }
    if (token.kind === "punctuator" && (token.punctuator === "-" || token.punctuator === "+")) {
      this.#index++;
      const next = this.#peek();
      // The grammar's integer-literal carries its sign: this is how -2147483648 is written.
      if (next.kind === "integer") {
        this.#index++;
        return {
          kind: "literal",
          value: this.#integer(token.punctuator + next.digits, token.start),
          at: token.start,
        };
      }
      if (token.punctuator === "+") throw this.#error(token.start, "'+' can only sign an integer literal");
      this.#enter(token.start);
      const operand = this.#unary();
      this.#nesting--;
      return { kind: "negate", operand, at: token.start };
    }
    return this.#primary();
  }

  #primary(): Node {
    const token = this.#peek();
    this.#index++;
    switch (token.kind) {
      case "integer":
        return { kind: "literal", value: this.#integer(token.digits, token.start), at: token.start };
      case "string":
        return { kind: "literal", value: token.value, at: token.start };
      case "name":
        return this.#isPunctuator("(")
          ? this.#call(token.text, token.start)
          : { kind: "attribute", name: this.#attributeName(token.text, token.start), at: token.start };
      case "keyword":
        if (token.keyword === "TRUE" || token.keyword === "FALSE") {
          return { kind: "literal", value: token.keyword === "TRUE", at: token.start };
        }
        if (token.keyword === "EXISTS") {
          const name = this.#peek();
          if (name.kind !== "name") {
            throw this.#error(
              name.start,
              `expected an attribute name after EXISTS, found ${describeToken(name)}`,
            );
          }
          this.#index++;
          return { kind: "exists", name: this.#attributeName(name.text, name.start), at: token.start };
        }
        break;
      case "punctuator":
        if (token.punctuator === "(") {
          this.#enter(token.start);
          const inner = this.#expression(0);
          this.#expect(")", `to close the '(' at offset ${token.start}`);
          this.#nesting--;
          return inner;
        }
        break;
      case "end":
        throw this.#error(token.start, "unexpected end of the expression, expected a value");
    }
    throw this.#error(token.start, `expected a value, found ${describeToken(token)}`);
  }

  #call(name: string, at: number): Node {
    if (!FUNCTION_NAME.test(name)) throw this.#error(at, `'${name}' is not a valid function name`);
    this.#index++; // (
    this.#enter(at);
    const args = this.#list(`in the arguments of ${name}`, true);
    this.#nesting--;
    return { kind: "call", name, args, fn: resolveFunction(name, args.length), at };
  }

  #like(operand: Node, negated: boolean, at: number): Node {
    const pattern = this.#peek();
    if (pattern.kind !== "string") {
      throw this.#error(
        pattern.start,
        `the pattern after LIKE must be a string literal, found ${describeToken(pattern)}`,
      );
    }
    this.#index++;
    return { kind: "like", operand, negated, pattern: compileLikePattern(pattern.value), at };
  }

  #in(operand: Node, negated: boolean, at: number): Node {
    this.#expect("(", "after IN");
    this.#enter(at);
    const set = this.#list("in the IN list", false);
    this.#nesting--;
    return { kind: "in", operand, negated, set, at };
  }

  /** Comma-separated expressions up to `)`, the `(` already consumed. */
  #list(where: string, allowEmpty: boolean): Node[] {
    const items: Node[] = [];
    if (this.#isPunctuator(")")) {
      if (!allowEmpty) throw this.#error(this.#peek().start, `expected at least one value ${where}`);
      this.#index++;
      return items;
    }
    for (;;) {
      items.push(this.#expression(0));
      const next = this.#peek();
      this.#index++;
      if (next.kind === "punctuator" && next.punctuator === ",") continue;
      if (next.kind === "punctuator" && next.punctuator === ")") return items;
      throw this.#error(next.start, `expected ',' or ')' ${where}, found ${describeToken(next)}`);
    }
  }

  #integer(text: string, at: number): number {
    const n = Number(text);
    if (n > INT32_MAX || n < INT32_MIN) {
      throw this.#error(at, `the integer ${text} is outside the 32-bit range`);
    }
    return n | 0;
  }

  #attributeName(text: string, at: number): string {
    if (!ATTRIBUTE_NAME.test(text)) {
      throw this.#error(at, `'${text}' is not a valid attribute name (letters and digits only)`);
    }
    return text.toLowerCase();
  }

  /** Counts one more level of nesting; the caller decrements #nesting when the level closes. */
  #enter(at: number): void {
    if (++this.#nesting > MAX_NESTING) {
      throw this.#error(at, `the expression is nested too deeply (more than ${MAX_NESTING} levels)`);
    }
  }

  #expect(punctuator: string, why: string): void {
    const token = this.#peek();
    if (token.kind !== "punctuator" || token.punctuator !== punctuator) {
      throw this.#error(token.start, `expected '${punctuator}' ${why}, found ${describeToken(token)}`);
    }
    this.#index++;
  }

  #isPunctuator(punctuator: string): boolean {
    const token = this.#peek();
    return token.kind === "punctuator" && token.punctuator === punctuator;
  }

  #peek(ahead = 0): Token {
    const tokens = this.#tokens;
    while (tokens.length <= this.#index + ahead) {
      const next = this.#lexer.next();
      // After "end" the lexer is done; reading past it keeps returning "end".
      tokens.push(next.done ? { kind: "end", start: this.#source.length } : next.value);
    }
    return tokens[this.#index + ahead] ?? { kind: "end", start: this.#source.length };
  }

  #error(at: number, detail: string): CesqlParseError {
    return new CesqlParseError(this.#source, at, detail);
  }
}
