/**
 * A SchemaCompiler that looks validators up instead of generating them, for
 * runtimes that cannot generate code (Cloudflare Workers): the validators
 * come from the module `ce-gateway schemas compile` (or `build`) wrote.
 */
import type { ValidateFunction } from "ajv";
import { type DataValidator, type SchemaCompiler, toDataValidator } from "./data-validator.js";

export interface PrecompiledValidators {
  readonly validators: Readonly<Record<string, ValidateFunction>>;
}

export function precompiledCompiler(module: PrecompiledValidators): SchemaCompiler {
  return {
    add(versions) {
      const compiled = new Map<string, DataValidator>();
      for (const version of versions) {
        const validate = Object.hasOwn(module.validators, version.id)
          ? module.validators[version.id]
          : undefined;
        if (validate === undefined)
          throw new Error(`${version.id} was not precompiled: run ce-gateway schemas compile again`);
        compiled.set(version.id, toDataValidator(validate));
      }
      return compiled;
    },
  };
}
