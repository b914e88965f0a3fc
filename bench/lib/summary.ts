// One run's output: the header and table on stdout, the figures as JSON under bench/results/.
import os from 'node:os';
import type { BenchArgs } from './args';
import { renderMarkdown, renderTable, writeResults } from './report';
import { figureRows, type Results } from './rows';

export interface RunSettings {
  pollIntervalMs: number;
  probeTimeoutMs: number;
  haproxy: { checkIntervalMs: number; fall: number; rise: number; checkTimeoutMs: number };
  bigCluster: { managers: number; replicas: number; caches: number; workers: number };
  soakCluster: { managers: number; replicas: number; caches: number; workers: number };
}

export function publish(run: {
  startedAt: Date;
  /** os.loadavg()[0] when the run started. */
  loadAtStart: number;
  args: BenchArgs;
  build: string;
  results: Results;
  settings: RunSettings;
  dir: string;
}): string[] {
  const { startedAt, args, build, results, settings } = run;
  const { haproxy } = settings;
  const cpus = os.cpus();
  const loadNow = os.loadavg()[0] ?? 0;
  const rows = figureRows(results);
  const header = [
    `DTR HA Console benchmark — ${startedAt.toISOString()}${args.quick ? ' (--quick)' : ''}`,
    `Node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? 'CPU'}, ` +
      `${(os.totalmem() / 2 ** 30).toFixed(0)} GB RAM; production build ${build}; the bench, its demo ` +
      `clusters, the load clients and the console share these CPUs.`,
    `Console: next start, live mode against the bench's demo cluster on loopback, ` +
      `POLL_INTERVAL_MS=${settings.pollIntervalMs} and PROBE_TIMEOUT_MS=${settings.probeTimeoutMs} (defaults).`,
    'Sign-in: AUTH=off for detection and fan-in; /api/status with AUTH=off and with AUTH=on ' +
      '(a demo viewer’s session cookie); soak with AUTH=on.',
    `Load average (1 min): ${run.loadAtStart.toFixed(2)} at the start, ${loadNow.toFixed(2)} at the end ` +
      '(other work on the machine skews the figures).',
    `HAProxy: inter ${haproxy.checkIntervalMs} ms, fall ${haproxy.fall}, rise ${haproxy.rise}, ` +
      `timeout check ${haproxy.checkTimeoutMs} ms. Targets are reported, not enforced.`,
  ];
  console.log(`\n${header.join('\n')}\n\n${renderTable(rows)}\n`);
  return writeResults(run.dir, startedAt, {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    quick: args.quick,
    args: { ...args, only: [...args.only] },
    environment: {
      node: process.version,
      cpus: cpus.length,
      cpuModel: cpus[0]?.model ?? null,
      totalMemBytes: os.totalmem(),
      build,
      loadAverage: { start: run.loadAtStart, end: loadNow },
    },
    settings: {
      ...settings,
      auth: { detection: 'off', fanIn: 'off', api: ['off', 'on'], soak: 'on' },
    },
    header,
    results,
    markdown: renderMarkdown(rows),
  });
}
