/** Finds an executable on PATH without running it (`wrk --version` exits non-zero). */
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

export function findExecutable(name) {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}
