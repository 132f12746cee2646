/**
 * The target types a Worker can run: adapters and transports that use only
 * fetch and Web APIs. Imported statically: the bundle holds exactly these.
 */
import { httpTarget } from "../../../adapters/http/index.js";
import { memoryTarget } from "../../../adapters/memory/index.js";
import { stdoutTarget } from "../../../adapters/stdout/index.js";
import type { AdapterFactory } from "../../adapter/adapter.js";
import type { TargetCatalog, TargetType } from "../../adapter/catalog.js";

const loaded = (factory: AdapterFactory<never>): TargetType => ({
  descriptor: factory,
  load: () => Promise.resolve(factory),
});

export const workersTargets: TargetCatalog = {
  stdout: loaded(stdoutTarget),
  memory: loaded(memoryTarget),
  http: loaded(httpTarget),
};
