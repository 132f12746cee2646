/**
 * Compiles schemas into validators once, when they enter the registry, never
 * per request. Ajv generates code at run time, which Node allows and
 * Workers do not: there the validators come precompiled
 * (`ce-gateway schemas compile`), behind the same interface.
 */
import { Ajv } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { type DataValidator, type SchemaCompiler, toDataValidator } from "./data-validator.js";
import type { SchemaDraft } from "./schema-version.js";

export type { DataValidator, DataViolation, SchemaCompiler } from "./data-validator.js";

// ajv-formats is CommonJS; under NodeNext its default export arrives as the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => void;

export function createAjvCompiler(): SchemaCompiler {
  const options = { allErrors: true, strict: false } as const;
  const draft07 = new Ajv(options);
  const draft2020 = new Ajv2020(options);
  addFormats(draft07);
  addFormats(draft2020 as unknown as Ajv);
  const ajvFor = (draft: SchemaDraft) => (draft === "2020-12" ? draft2020 : draft07);
  return {
    add(versions) {
      for (const version of versions) {
        try {
          ajvFor(version.draft).addSchema(version.schema as object);
        } catch (error) {
          throw new Error(`${version.eventType}/${version.version}: ${(error as Error).message}`);
        }
      }
      const compiled = new Map<string, DataValidator>();
      for (const version of versions) {
        try {
          const validate = ajvFor(version.draft).getSchema(version.id);
          if (validate === undefined) throw new Error(`$id ${version.id} did not register`);
          compiled.set(version.id, toDataValidator(validate));
        } catch (error) {
          // A failed compile must not leave a half-registered schema behind.
          for (const v of versions) ajvFor(v.draft).removeSchema(v.id);
          const message = (error as Error).message;
          const hint = /can't resolve reference/.test(message)
            ? " (a $ref must name a schema of the same draft)"
            : "";
          throw new Error(`${version.eventType}/${version.version}: ${message}${hint}`);
        }
      }
      return compiled;
    },
  };
}
