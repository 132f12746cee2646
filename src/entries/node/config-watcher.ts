/**
 * Watches a config file's folder and calls back once per burst of events.
 * The whole folder, not the file: editors replace files (a new inode a file
 * watch would miss), and Kubernetes updates a mounted ConfigMap by swapping
 * a `..data` symlink, so the changed name is rarely the file's. The caller
 * compares content to tell a real change.
 */
import { watch } from "node:fs";
import { dirname } from "node:path";

export function watchConfigFile(path: string, onChange: () => void, debounceMs = 100): () => void {
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(dirname(path), () => {
    clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
  });
  watcher.on("error", () => {});
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
