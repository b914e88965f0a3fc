// Detection latency: from fault injection to the change arriving on an SSE client, and — in the
// same trial, from the same t0 — to HAProxy's stats showing the replica DOWN.
import { performance } from 'node:perf_hooks';
import type { DemoCluster } from '../../lib/demo';
import type { RunningHaproxy } from '../lib/haproxy';
import { allHealthy, replicaStatus } from '../lib/status-document';
import type { SseViewer } from '../lib/sse-viewer';
import { median, percentile, round, sleep, waitFor } from '../lib/stats';

export type DetectedFault = 'stop' | 'hang';

export interface Trial {
  fault: DetectedFault;
  /** Milliseconds from setFault to the first SSE snapshot with the replica not healthy; null: not seen. */
  consoleMs: number | null;
  /** The status that snapshot gave the replica. */
  consoleStatus: string | null;
  /** Milliseconds from the same t0 to HAProxy's stats showing DOWN; null: not seen. */
  haproxyMs: number | null;
}

export interface FaultSummary {
  fault: DetectedFault;
  trials: number;
  consoleMedianMs: number | null;
  consoleP95Ms: number | null;
  haproxyMedianMs: number | null;
  haproxyP95Ms: number | null;
  /** Console median / HAProxy median. */
  ratio: number | null;
  missed: { console: number; haproxy: number };
}

export interface DetectionResult {
  replicaId: string;
  summaries: FaultSummary[];
  trials: Trial[];
}

const DETECT_TIMEOUT_MS = 30_000;
const HAPROXY_POLL_MS = 50;

async function haproxyDown(
  haproxy: RunningHaproxy,
  id: string,
  t0: number,
): Promise<number | null> {
  const deadline = t0 + DETECT_TIMEOUT_MS;
  while (performance.now() < deadline) {
    // A failed read of the stats page is skipped, not fatal: the deadline bounds the loop.
    const state = await haproxy.states().then(
      (states) => states.get(id) ?? '',
      () => '',
    );
    const at = performance.now();
    if (state.startsWith('DOWN')) return at - t0;
    await sleep(HAPROXY_POLL_MS);
  }
  return null;
}

/** Reset, then wait until both observers see every replica healthy / UP again. */
async function steady(
  demo: DemoCluster,
  viewer: SseViewer,
  haproxy: RunningHaproxy,
): Promise<void> {
  await demo.reset();
  await waitFor(
    'every replica healthy on SSE and UP in HAProxy',
    async () => {
      const doc = viewer.latest?.doc;
      if (!doc || !allHealthy(doc)) return null;
      const states = await haproxy.states();
      return [...states.values()].every((s) => s === 'UP') ? true : null;
    },
    60_000,
    50,
  );
}

async function trial(
  fault: DetectedFault,
  replicaId: string,
  demo: DemoCluster,
  viewer: SseViewer,
  haproxy: RunningHaproxy,
  intervalMs: number,
): Promise<Trial> {
  await steady(demo, viewer, haproxy);
  // A random phase against the poll loop and HAProxy's check timer.
  await sleep(Math.random() * intervalMs);
  const seen = viewer.next((doc) => {
    const status = replicaStatus(doc, replicaId);
    return status !== null && status !== 'healthy';
  }, DETECT_TIMEOUT_MS);
  const t0 = performance.now();
  const injected = demo.setFault(replicaId, fault);
  const [snapshot, haproxyMs] = await Promise.all([
    seen,
    haproxyDown(haproxy, replicaId, t0),
    injected,
  ]);
  return {
    fault,
    consoleMs: snapshot ? round(snapshot.at - t0) : null,
    consoleStatus: snapshot ? replicaStatus(snapshot.doc, replicaId) : null,
    haproxyMs: haproxyMs === null ? null : round(haproxyMs),
  };
}

function summarise(fault: DetectedFault, trials: Trial[]): FaultSummary {
  const mine = trials.filter((t) => t.fault === fault);
  const consoleTimes = mine.flatMap((t) => (t.consoleMs === null ? [] : [t.consoleMs]));
  const haproxy = mine.flatMap((t) => (t.haproxyMs === null ? [] : [t.haproxyMs]));
  const consoleMedian = median(consoleTimes);
  const haproxyMedian = median(haproxy);
  return {
    fault,
    trials: mine.length,
    consoleMedianMs: round(consoleMedian),
    consoleP95Ms: percentile(consoleTimes, 95),
    haproxyMedianMs: round(haproxyMedian),
    haproxyP95Ms: percentile(haproxy, 95),
    ratio: consoleMedian !== null && haproxyMedian ? round(consoleMedian / haproxyMedian, 2) : null,
    missed: { console: mine.length - consoleTimes.length, haproxy: mine.length - haproxy.length },
  };
}

export async function runDetection(options: {
  demo: DemoCluster;
  viewer: SseViewer;
  haproxy: RunningHaproxy;
  replicaId: string;
  trials: number;
  intervalMs: number;
  log: (line: string) => void;
}): Promise<DetectionResult> {
  const { demo, viewer, haproxy, replicaId, intervalMs, log } = options;
  const trials: Trial[] = [];
  for (const fault of ['stop', 'hang'] as const) {
    for (let i = 1; i <= options.trials; i++) {
      const result = await trial(fault, replicaId, demo, viewer, haproxy, intervalMs);
      trials.push(result);
      log(
        `detection ${fault} ${i}/${options.trials}: console ${result.consoleMs ?? '—'} ms ` +
          `(${result.consoleStatus ?? 'not seen'}), HAProxy ${result.haproxyMs ?? '—'} ms`,
      );
    }
  }
  await demo.reset();
  return { replicaId, summaries: [summarise('stop', trials), summarise('hang', trials)], trials };
}
