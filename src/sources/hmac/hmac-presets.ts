/**
 * What `preset:` fills in for an `hmac` source: the signing scheme and event
 * mapping of a provider, as plain options. Options the config sets take the
 * place of the preset's, one by one (and attribute by attribute under
 * `event`). The README lists each expansion; keep the two in step.
 */
import type { HmacOptions } from "./hmac-options.js";

export type HmacPreset = Omit<HmacOptions, "preset" | "secrets">;

export const HMAC_PRESETS = {
  /**
   * Stripe: `Stripe-Signature: t=<seconds>,v1=<hex>[,v1=<hex>...]`, HMAC-SHA256
   * with the endpoint secret (the whole `whsec_...` text is the key) over
   * `<t>.<body>`. Several `v1=` parts while Stripe rolls a secret.
   */
  stripe: {
    header: "Stripe-Signature",
    parts: { timestamp: "t", signature: "v1" },
    algorithm: "SHA-256",
    encoding: "hex",
    signed: "{timestamp}.{body}",
    // No toleranceSeconds: the default, 300 s, is the one Stripe's libraries use.
    event: {
      type: "body.type",
      source: "'https://api.stripe.com'",
      id: "body.id",
      time: "$fromMillis(body.created * 1000)",
      subject: "body.data.object.id",
    },
  },
  /**
   * Shopify: `X-Shopify-Hmac-Sha256: <base64>`, HMAC-SHA256 with the app's
   * client secret over the body; no signed timestamp. The event id is the
   * event's (the same for every retry and subscription), else the delivery's.
   */
  shopify: {
    header: "X-Shopify-Hmac-Sha256",
    algorithm: "SHA-256",
    encoding: "base64",
    signed: "{body}",
    event: {
      type: 'headers."x-shopify-topic".("com.shopify." & $)',
      source: 'headers."x-shopify-shop-domain".("https://" & $)',
      id: '[headers."x-shopify-event-id", headers."x-shopify-webhook-id"][0]',
      time: 'headers."x-shopify-triggered-at"',
    },
  },
} as const satisfies Readonly<Record<string, HmacPreset>>;

export type HmacPresetName = keyof typeof HMAC_PRESETS;

export const HMAC_PRESET_NAMES = Object.keys(HMAC_PRESETS) as HmacPresetName[];
