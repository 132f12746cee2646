/**
 * Collects what is wrong with a source's options while it compiles, so
 * `config check` reports every problem at once instead of the first: each
 * part is compiled in turn, and its SourceOptionErrors are kept.
 */
import { SourceOptionError } from "./source.js";

export class OptionProblems {
  readonly #errors: unknown[] = [];

  /** Runs one compile step; undefined when it threw (the errors are kept). */
  attempt<T>(compile: () => T): T | undefined {
    try {
      return compile();
    } catch (thrown) {
      this.#errors.push(...(thrown instanceof AggregateError ? thrown.errors : [thrown]));
      return undefined;
    }
  }

  add(path: readonly (string | number)[], message: string): void {
    this.#errors.push(new SourceOptionError(path, message));
  }

  /** Throws an AggregateError of everything kept, if anything was. */
  throwIfAny(message: string): void {
    if (this.#errors.length > 0) throw new AggregateError(this.#errors, message);
  }
}
