/**
 * A route's transform as configured: JSONata expressions over the event in
 * its JSON form (see transform-input.ts), compiled once when the config loads.
 */
export interface TransformConfig {
  /** Attribute name (core or extension) to the expression giving its value; nothing or null removes it. */
  readonly attributes?: Readonly<Record<string, string>>;
  /** The expression giving the new data, sent as JSON; absent: the data goes as it came, byte for byte. */
  readonly data?: string;
}
