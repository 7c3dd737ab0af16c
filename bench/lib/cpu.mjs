// CPU accounting shared by the benchmarks (Linux /proc; undefined elsewhere).
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** CPU seconds of a process (utime + stime from /proc); undefined off Linux. */
export function processCpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

/** Busy and total jiffies of the whole machine, from /proc/stat. */
export function machineJiffies() {
  try {
    const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    const n = values.map(Number);
    const total = n.reduce((a, b) => a + b, 0);
    return { busy: total - n[3] - (n[4] ?? 0), total };
  } catch {
    return undefined;
  }
}

/** Busy cores of the whole machine between two machineJiffies() readings. */
export function busyCores(a, b) {
  return a && b ? ((b.busy - a.busy) / (b.total - a.total)) * cpus().length : undefined;
}

/** The p-th percentile of an ascending array (nearest rank). */
export function percentile(sorted, p) {
  return sorted.length === 0
    ? NaN
    : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
