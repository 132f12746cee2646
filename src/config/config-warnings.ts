/**
 * What a valid config still should not do: deprecated keys, and dead letters
 * that replay cannot read back. Warned about on
 * load (`serve`) and by `config check`, never refused, so an upgrade does not
 * stop a gateway that worked.
 */
import { type TargetCatalog, targetTypeOf } from "../adapter/catalog.js";
import { adapterOptionsOf } from "./delivery-config.js";
import type { GatewayConfig } from "./gateway-config.js";

export interface ConfigWarning {
  readonly path: string;
  readonly message: string;
}

/**
 * A route's dead letter on a target that cannot read back what it stored
 * (anything but a memory target or a nats target with jetstream): dead
 * letters land there, but `deadletter replay` refuses it.
 */
function unreplayableDeadLetters(config: GatewayConfig, catalog: TargetCatalog): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  (config.routes ?? []).forEach((route, i) => {
    const name = route.deadLetter;
    const target = name === undefined ? undefined : config.targets?.[name];
    if (target === undefined) return;
    const readsBack = targetTypeOf(catalog, target.type)?.descriptor.readsBack as
      | ((options: Readonly<Record<string, unknown>>) => boolean)
      | undefined;
    if (readsBack?.(adapterOptionsOf(target)) === true) return;
    warnings.push({
      path: `routes[${i}].deadLetter`,
      message: `target "${name}" (${target.type}) cannot read back what it stores: dead letters go there, but \`ce-gateway deadletter replay\` refuses it (replayable: memory, nats with jetstream)`,
    });
  });
  return warnings;
}

export function configWarnings(config: GatewayConfig, catalog?: TargetCatalog): ConfigWarning[] {
  const warnings: ConfigWarning[] = catalog === undefined ? [] : unreplayableDeadLetters(config, catalog);
  if (config.admin?.token !== undefined) {
    warnings.push({
      path: "admin.token",
      message:
        "deprecated: a plain-text token in the config; store its SHA-256 in admin.tokens (ce-gateway auth hash) instead",
    });
  }
  return warnings;
}
