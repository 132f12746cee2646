/**
 * What a compiled schema is to the registry: a function from data to its
 * violations, however it was compiled (Ajv at run time on Node, ahead of
 * time for Workers). Holds no compiler, so a Worker can bundle it.
 */
import type { ErrorObject, ValidateFunction } from "ajv";
import type { SchemaVersion } from "./schema-version.js";

export interface DataViolation {
  /** JSON Pointer into the data. */
  readonly pointer: string;
  readonly keyword: string;
  readonly message: string;
}

/** A compiled schema: the violations of a value, empty when it conforms. */
export type DataValidator = (data: unknown) => readonly DataViolation[];

export interface SchemaCompiler {
  /** Adds schemas (so $refs between them resolve) and compiles each; throws naming the one that fails. */
  add(versions: readonly SchemaVersion[]): Map<string, DataValidator>;
}

export function describeViolation(
  error: Pick<ErrorObject, "instancePath" | "keyword" | "message" | "params">,
): DataViolation {
  const where = error.instancePath === "" ? "the data" : error.instancePath;
  const extra =
    error.keyword === "additionalProperties"
      ? ` ("${String(error.params.additionalProperty)}")`
      : error.keyword === "enum"
        ? ` (${JSON.stringify(error.params.allowedValues)})`
        : "";
  return {
    pointer: error.instancePath,
    keyword: error.keyword,
    message: `${where} ${error.message ?? "is invalid"}${extra}`,
  };
}

export function toDataValidator(validate: ValidateFunction): DataValidator {
  return (data) => (validate(data) ? [] : (validate.errors ?? []).map(describeViolation));
}

/** One Ajv per draft (a schema is compiled by the draft it declares), shared by every version. */
