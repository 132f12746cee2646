/**
 * Filters as configured: the CloudEvents Subscriptions API dialects.
 */
export type AttributeMatches = Readonly<Record<string, string>>;

export type FilterConfig =
  | { readonly exact: AttributeMatches }
  | { readonly prefix: AttributeMatches }
  | { readonly suffix: AttributeMatches }
  | { readonly all: readonly FilterConfig[] }
  | { readonly any: readonly FilterConfig[] }
  | { readonly not: FilterConfig }
  | { readonly sql: string };

export const FILTER_DIALECTS = ["exact", "prefix", "suffix", "all", "any", "not", "sql"] as const;
