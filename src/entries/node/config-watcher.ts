/**
 * Watches a config file for changes, including editors that replace the file
 * (rename) instead of writing it, and calls back once per burst of events.
 */
import { watch } from "node:fs";
import { basename, dirname } from "node:path";

export function watchConfigFile(path: string, onChange: () => void, debounceMs = 100): () => void {
  const name = basename(path);
  let timer: NodeJS.Timeout | undefined;
  // The folder, not the file: a replaced file is a new inode a file watch would miss.
  const watcher = watch(dirname(path), (_event, changed) => {
    if (changed !== null && changed !== name) return;
    clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
  });
  watcher.on("error", () => {});
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
