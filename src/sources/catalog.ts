/**
 * The source types a gateway knows unless it is given others. Every one is
 * portable (WebCrypto, JSONata), so Node and Workers share this catalog.
 */
import { githubSourceType } from "./github/github-source.js";
import { jsonSourceType } from "./json/json-source.js";
import type { SourceCatalog } from "./source.js";

export const builtInSources: SourceCatalog = {
  [jsonSourceType.type]: jsonSourceType,
  [githubSourceType.type]: githubSourceType,
};
