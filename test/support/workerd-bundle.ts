/**
 * Bundles code for workerd the way a Workers build must: no Node built-ins
 * (esbuild platform "neutral", no nodejs_compat) and no stubs, so a module
 * that reaches a Node-only client fails to bundle here as it would with
 * wrangler.
 */
import { build, type Metafile } from "esbuild";
import { projectRoot } from "./cli-process.js";

export interface WorkerdBundle {
  /** The one ES module Miniflare runs. */
  readonly code: string;
  /** esbuild's account of the bundle: every input file reached and what each imports. */
  readonly metafile: Metafile;
}

/** The bundle with its metafile, from a file or from source text (resolved from the project root). */
export async function bundleForWorkerdWithMetafile(
  input: { entry: string } | { source: string },
  options: { minify?: boolean } = {},
): Promise<WorkerdBundle> {
  const bundle = await build({
    ...("entry" in input
      ? { entryPoints: [input.entry] }
      : { stdin: { contents: input.source, resolveDir: projectRoot, loader: "js" as const } }),
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    // tweetnacl (NKeys, under the NATS client) falls back to require("crypto") only where WebCrypto is missing.
    external: ["crypto", "cloudflare:*"],
    minify: options.minify ?? false,
    metafile: true,
    write: false,
    logLevel: "silent",
  });
  return { code: bundle.outputFiles[0]?.text ?? "", metafile: bundle.metafile };
}

/** One ES module for Miniflare, from a file or from source text (resolved from the project root). */
export async function bundleForWorkerd(input: { entry: string } | { source: string }): Promise<string> {
  return (await bundleForWorkerdWithMetafile(input)).code;
}
