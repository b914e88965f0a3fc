// RSS and CPU time of a process, read from /proc (Linux).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let clockTicks: number | null = null;

function ticksPerSecond(): number {
  if (clockTicks === null) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

export interface ProcSample {
  /** Date.now() of the reading. */
  at: number;
  rssBytes: number;
  /** User + system CPU time so far, in seconds. */
  cpuSeconds: number;
}

export function sampleProcess(pid: number): ProcSample {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? NaN);
  // Fields after the command name, which may itself hold spaces and parentheses.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat(5); fields[0] here is field 3 (state).
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { at: Date.now(), rssBytes: rssKb * 1024, cpuSeconds: ticks / ticksPerSecond() };
}

/** Share of one CPU core used between two samples, in percent. */
export function cpuShare(from: ProcSample, to: ProcSample): number {
  const wall = (to.at - from.at) / 1000;
  return wall > 0 ? ((to.cpuSeconds - from.cpuSeconds) / wall) * 100 : 0;
}

/** Samples a process every `everyMs` until stopped; keeps every sample. */
export class ProcSampler {
  readonly samples: ProcSample[] = [];
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly pid: number,
    private readonly everyMs = 1000,
  ) {}

  start(): this {
    this.samples.push(sampleProcess(this.pid));
    this.#timer = setInterval(() => {
      try {
        this.samples.push(sampleProcess(this.pid));
      } catch {
        this.stop(); // the process is gone
      }
    }, this.everyMs);
    return this;
  }

  stop(): ProcSample[] {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    return this.samples;
  }

  peakRss(): number {
    return Math.max(0, ...this.samples.map((s) => s.rssBytes));
  }
}
