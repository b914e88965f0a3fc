// Memory and CPU: the console polling a big cluster for N minutes with one SSE viewer open.
import type { RunningConsole } from '../lib/console';
import { cpuShare, ProcSampler, type ProcSample } from '../lib/proc-stats';
import { SseViewer } from '../lib/sse-viewer';
import { round, sleep } from '../lib/stats';

export interface SoakResult {
  minutes: number;
  /** Nodes in the demo cluster polled. */
  nodes: number;
  auth: 'on' | 'off';
  rssStartBytes: number;
  rssEndBytes: number;
  rssPeakBytes: number;
  /** Percent of one core over the whole soak. */
  cpuPercent: number;
  /** Percent of one core over the last minute (or the last sixth, if shorter). */
  cpuPercentLastMinute: number;
  snapshotsSeen: number;
  /** What the one SSE viewer received, per minute. */
  sseBytesPerMinute: number;
  /** [seconds since start, RSS MB, CPU % since the previous sample], every 30 s. */
  timeline: [number, number, number][];
}

function atOrBefore(samples: ProcSample[], at: number): ProcSample {
  let chosen = samples[0] as ProcSample;
  for (const s of samples) if (s.at <= at) chosen = s;
  return chosen;
}

export async function runSoak(options: {
  target: RunningConsole;
  nodes: number;
  minutes: number;
  log: (line: string) => void;
}): Promise<SoakResult> {
  const { target, minutes, log } = options;
  const viewer = new SseViewer(target.url, target.cookie ? { cookie: target.cookie } : {}, {
    parse: false,
  });
  await viewer.open();
  const sampler = new ProcSampler(target.pid, 5000).start();
  const totalMs = minutes * 60_000;
  const started = Date.now();
  try {
    // Bounded: one step a minute (or less), with a progress line.
    while (Date.now() - started < totalMs) {
      await sleep(Math.min(60_000, totalMs - (Date.now() - started)));
      const last = sampler.samples.at(-1);
      log(
        `soak: ${round((Date.now() - started) / 60_000, 1)} / ${minutes} min, ` +
          `RSS ${last ? round(last.rssBytes / 2 ** 20) : '?'} MB`,
      );
    }
  } finally {
    await viewer.close();
  }
  const samples = sampler.stop();
  const first = samples[0] as ProcSample;
  const last = samples.at(-1) as ProcSample;
  const tail = atOrBefore(samples, last.at - Math.min(60_000, totalMs / 6));
  const timeline: [number, number, number][] = [];
  let previous = first;
  for (const s of samples) {
    if (s.at - previous.at < 30_000) continue;
    timeline.push([
      round((s.at - first.at) / 1000) as number,
      round(s.rssBytes / 2 ** 20, 1) as number,
      round(cpuShare(previous, s), 1) as number,
    ]);
    previous = s;
  }
  return {
    minutes,
    nodes: options.nodes,
    auth: target.auth,
    rssStartBytes: first.rssBytes,
    rssEndBytes: last.rssBytes,
    rssPeakBytes: sampler.peakRss(),
    cpuPercent: round(cpuShare(first, last), 1) as number,
    cpuPercentLastMinute: round(cpuShare(tail, last), 1) as number,
    snapshotsSeen: viewer.snapshots,
    sseBytesPerMinute: Math.round(viewer.bytes / minutes),
    timeline,
  };
}
