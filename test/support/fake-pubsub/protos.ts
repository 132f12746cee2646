/**
 * Loads `google.pubsub.v1` from the `pubsub.proto` shipped in
 * `@google-cloud/pubsub` (its `google/api` and `google/protobuf` imports come
 * from `google-gax/build/protos`) and returns the Publisher service definition.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";

const ROOT = fileURLToPath(new URL("../../../node_modules/", import.meta.url));
const PUBSUB_PROTOS = `${ROOT}@google-cloud/pubsub/build/protos`;
const GAX_PROTOS = [
  `${ROOT}google-gax/build/protos`,
  `${ROOT}@google-cloud/pubsub/node_modules/google-gax/build/protos`,
].filter((dir) => existsSync(dir));

let cached: grpc.ServiceDefinition | undefined;

export function publisherServiceDefinition(): grpc.ServiceDefinition {
  if (cached) return cached;
  const definition = protoLoader.loadSync("google/pubsub/v1/pubsub.proto", {
    includeDirs: [PUBSUB_PROTOS, ...GAX_PROTOS],
    keepCase: false,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const loaded = grpc.loadPackageDefinition(definition) as unknown as {
    google: { pubsub: { v1: { Publisher: grpc.ServiceClientConstructor } } };
  };
  cached = loaded.google.pubsub.v1.Publisher.service;
  return cached;
}
