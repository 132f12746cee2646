/**
 * Load from wrk (one thread, N connections): a C load generator in its own
 * process, so it takes less CPU from the server under test than a Node one.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnChild } from "../children.js";

const script = fileURLToPath(new URL("post.lua", import.meta.url));

/** A Lua string literal: printable ASCII as is, every other byte as a decimal escape. */
function luaString(text) {
  let out = '"';
  for (const byte of new TextEncoder().encode(text)) {
    if (byte === 0x22 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte < 0x20 || byte > 0x7e) out += `\\${byte.toString().padStart(3, "0")}`;
    else out += String.fromCharCode(byte);
  }
  return `${out}"`;
}

const luaList = (parts) => `{ ${parts.map(luaString).join(", ")} }`;
const luaMap = (entries, value) =>
  `{ ${entries.map(([k, v]) => `[${luaString(k)}] = ${value(v)}`).join(", ")} }`;

/**
 * The template as a Lua chunk that post.lua loads with dofile.
 * @param {import("./requests.js").RequestTemplate} template
 */
function luaSpec(template) {
  return `return {
  method = ${luaString(template.method)},
  path = ${luaString(template.path)},
  headers = ${luaMap(Object.entries(template.headers), luaString)},
  idHeaders = ${luaMap(Object.entries(template.idHeaders), luaList)},
  body = ${luaList(template.body)},
}
`;
}

/**
 * @param {string} bin the wrk executable
 * @param {string} workDir where the spec files go
 * @returns {import("./driver.js").LoadDriver}
 */
export function wrkDriver(bin, workDir) {
  const specs = new Map();
  let count = 0;
  const specFile = (template) => {
    let file = specs.get(template);
    if (file === undefined) {
      file = join(workDir, `wrk-spec-${++count}.lua`);
      writeFileSync(file, luaSpec(template));
      specs.set(template, file);
    }
    return file;
  };
  return {
    name: "wrk",
    async run({ url, template, connections, durationS, nonce }) {
      const args = [
        "-t1",
        `-c${connections}`,
        `-d${Math.max(1, Math.round(durationS))}s`,
        "--timeout",
        "10s",
        "-s",
        script,
        url,
        "--",
        specFile(template),
        nonce,
      ];
      const handle = spawnChild(bin, args);
      const { code } = await handle.exited;
      const line = handle.output.text.split("\n").find((l) => l.startsWith("WRK_RESULT "));
      if (code !== 0 || line === undefined)
        throw new Error(`wrk exited with ${code}:\n${handle.output.text.slice(-2000)}`);
      const r = JSON.parse(line.slice("WRK_RESULT ".length));
      return {
        requests: r.requests,
        seconds: r.durationUs / 1e6,
        p50Ms: r.p50Us / 1000,
        p99Ms: r.p99Us / 1000,
        non2xx: r.statusErrors,
        errors: r.connectErrors + r.readErrors + r.writeErrors + r.timeouts,
      };
    },
  };
}
