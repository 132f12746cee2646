/**
 * Ajv set up as the registry sets it up (one instance per draft, formats on,
 * not strict), used as the reference for what a schema accepts.
 */
import { Ajv, type ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { Dialect, Json } from "./random-schemas.js";

// ajv-formats is CommonJS; under NodeNext its default export arrives as the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;

/** Whether Ajv accepts the value; undefined when Ajv fails (a schema that loops on itself). */
export type Validate = (value: Json) => boolean | undefined;

export function referenceValidators(): { compile(schema: Json, dialect: Dialect): Validate | undefined } {
  const options = { strict: false, allErrors: false } as const;
  const draft07 = new Ajv(options);
  const draft2020 = new Ajv2020(options);
  addFormats(draft07);
  addFormats(draft2020 as unknown as Ajv);
  return {
    compile(schema, dialect) {
      try {
        const validate: ValidateFunction = (dialect === "2020-12" ? draft2020 : draft07).compile(
          schema as object,
        );
        return (value) => {
          try {
            return validate(value) === true;
          } catch {
            return undefined;
          }
        };
      } catch {
        return undefined;
      }
    },
  };
}
