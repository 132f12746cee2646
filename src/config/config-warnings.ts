/**
 * What a valid config still should not do: deprecated keys. Warned about on
 * load (`serve`) and by `config check`, never refused, so an upgrade does not
 * stop a gateway that worked.
 */
import type { GatewayConfig } from "./gateway-config.js";

export interface ConfigWarning {
  readonly path: string;
  readonly message: string;
}

export function configWarnings(config: GatewayConfig): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  if (config.admin?.token !== undefined) {
    warnings.push({
      path: "admin.token",
      message:
        "deprecated: a plain-text token in the config; store its SHA-256 in admin.tokens (ce-gateway auth hash) instead",
    });
  }
  return warnings;
}
