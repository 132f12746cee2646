/**
 * Bundles code for workerd the way a Workers build must: no Node built-ins
 * (esbuild platform "neutral", no nodejs_compat), with the Node-only clients
 * that adapters load lazily (NATS over TCP, Pub/Sub over gRPC, the Azure SDKs)
 * stubbed out.
 */
import { build, type Plugin } from "esbuild";
import { projectRoot } from "./cli-process.js";

const withoutNodeClients: Plugin = {
  name: "without-node-clients",
  setup(b) {
    b.onResolve({ filter: /\/node\/(connect|target|grpc-publisher|sdk-sender)\.js$/ }, (args) => ({
      path: args.path,
      namespace: "node-stub",
    }));
    b.onLoad({ filter: /.*/, namespace: "node-stub" }, () => ({
      contents: [
        'export const connectNode = () => { throw new Error("NATS over TCP needs Node"); };',
        'export const natsTarget = { create() { throw new Error("NATS over TCP needs Node"); } };',
        'export const grpcPublisher = () => { throw new Error("Pub/Sub over gRPC needs Node"); };',
        'export const sdkSender = () => { throw new Error("The Azure SDKs need Node: use api: rest"); };',
      ].join("\n"),
    }));
  },
};

/** One ES module for Miniflare, from a file or from source text (resolved from the project root). */
export async function bundleForWorkerd(input: { entry: string } | { source: string }): Promise<string> {
  const bundle = await build({
    ...("entry" in input
      ? { entryPoints: [input.entry] }
      : { stdin: { contents: input.source, resolveDir: projectRoot, loader: "js" as const } }),
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    plugins: [withoutNodeClients],
    // tweetnacl (NKeys, under the NATS client) falls back to require("crypto") only where WebCrypto is missing.
    external: ["crypto", "cloudflare:*"],
    write: false,
    logLevel: "silent",
  });
  return bundle.outputFiles[0]?.text ?? "";
}
