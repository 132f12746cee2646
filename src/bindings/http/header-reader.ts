/** Header lookup by lowercase name: `Headers` is one, and so is a thin view of node:http's header object. */
export interface HeaderReader {
  get(name: string): string | null;
  forEach(callback: (value: string, name: string) => void): void;
}
