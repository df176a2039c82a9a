/**
 * A process's CPU time and memory from /proc (Linux): what the benchmarks report for the worker,
 * the simulator and the Temporal dev server. CPU % over an interval is the CPU time used in it
 * divided by its wall time (100 % = one core busy).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  return ticksPerSecond;
}

export interface ProcSample {
  /** When the sample was taken (performance.now(), ms). */
  at: number;
  /** User + system CPU time so far, ms. */
  cpuMs: number;
  /** Resident set size, bytes. */
  rssBytes: number;
}

export function sampleProc(pid: number): ProcSample {
  const at = performance.now();
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) — utime and stime are the 14th and 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? Number.NaN);
  return { at, cpuMs: (ticks * 1000) / clockTicks(), rssBytes: rssKb * 1024 };
}

/** CPU % (100 = one core) between two samples of the same process. */
export function cpuPercent(from: ProcSample, to: ProcSample): number {
  return (100 * (to.cpuMs - from.cpuMs)) / (to.at - from.at);
}

export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

/**
 * Samples a process every `everyMs` until stopped: peak RSS and CPU % over the whole span. A
 * process that went away (killed) ends the sampling quietly.
 */
export function watchProc(pid: number, everyMs = 500) {
  const first = sampleProc(pid);
  let last = first;
  let peakRss = first.rssBytes;
  const timer = setInterval(() => {
    try {
      last = sampleProc(pid);
      peakRss = Math.max(peakRss, last.rssBytes);
    } catch {
      clearInterval(timer);
    }
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      try {
        last = sampleProc(pid);
        peakRss = Math.max(peakRss, last.rssBytes);
      } catch {
        // gone: the last sample stands
      }
      return { cpuPercent: cpuPercent(first, last), peakRssBytes: peakRss, rssBytes: last.rssBytes };
    },
  };
}
