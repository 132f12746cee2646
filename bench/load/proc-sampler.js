/**
 * Memory and CPU of the server under test, read from /proc (Linux): VmRSS
 * sampled while it runs, VmHWM (the kernel's own peak) at the end, and CPU
 * seconds (user + system, all threads) between two points.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

let ticks;
const ticksPerSecond = () => {
  ticks ??= Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  return ticks;
};

/** VmRSS and VmHWM in MB, or undefined when /proc cannot be read. */
export function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? Number.NaN);
    return { rssMb: kb("VmRSS") / 1024, hwmMb: kb("VmHWM") / 1024 };
  } catch {
    return undefined;
  }
}

/** User + system CPU seconds, or NaN. */
export function cpuSecondsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of proc(5), counted here from field 3.
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond();
  } catch {
    return Number.NaN;
  }
}

/**
 * Samples VmRSS every `everyMs` until stopped.
 * @param {number} pid
 * @param {number} everyMs
 * @param {(sample: { atS: number, rssMb: number }) => void} [onSample]
 */
export function sampleMemory(pid, everyMs, onSample) {
  const started = performance.now();
  let maxRssMb = 0;
  const take = () => {
    const m = memoryOf(pid);
    if (m === undefined) return;
    maxRssMb = Math.max(maxRssMb, m.rssMb);
    onSample?.({ atS: (performance.now() - started) / 1000, rssMb: m.rssMb });
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    /** The peak: the larger of the sampled VmRSS and the kernel's VmHWM. */
    stop() {
      clearInterval(timer);
      take();
      const hwm = memoryOf(pid)?.hwmMb ?? 0;
      const peak = Math.max(maxRssMb, hwm);
      return peak > 0 ? peak : undefined;
    },
  };
}
