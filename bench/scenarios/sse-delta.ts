// SSE bytes per viewer for one replica change: on the 2,000-node demo, stop one replica and count
// the bytes of every event one viewer of GET /api/events receives from the fault until its
// document shows the replica not healthy (that event included), and which kinds they were.
import { performance } from 'node:perf_hooks';
import type { DemoCluster } from '../../lib/demo';
import type { RunningConsole } from '../lib/console';
import { SseViewer } from '../lib/sse-viewer';
import { allHealthy, replicaStatus } from '../lib/status-document';
import { median, round, sleep, waitFor } from '../lib/stats';

export interface SseDeltaTrial {
  /** Bytes of the events from the fault to the first document showing the replica not healthy. */
  bytes: number;
  /** Those events by kind (`snapshot`, `patch`, `pulse`). */
  events: Record<string, number>;
  /** Milliseconds from the fault to that event. */
  ms: number;
}

export interface SseDeltaResult {
  replicaId: string;
  nodes: number;
  /** The first event of the stream: the whole document as a `snapshot`. */
  snapshotBytes: number;
  trials: SseDeltaTrial[];
  medianBytes: number | null;
  maxBytes: number | null;
  /** Trials in which the change was not seen within 30 s. */
  missed: number;
}

const DETECT_TIMEOUT_MS = 30_000;

export async function runSseDelta(options: {
  demo: DemoCluster;
  target: RunningConsole;
  /** Nodes in the demo cluster (the status document may list only those that matter). */
  nodes: number;
  trials: number;
  intervalMs: number;
  log: (line: string) => void;
}): Promise<SseDeltaResult> {
  const { demo, target, intervalMs, log } = options;
  const replicas = demo.describe().replicas;
  // Not the replica DTR_URL points at, as in the detection scenario.
  const victim = replicas.at(-1);
  if (!victim) throw new Error('the demo cluster has no replicas');
  const viewer = new SseViewer(target.url, target.cookie ? { cookie: target.cookie } : {});
  viewer.record = true;
  await viewer.open(60_000);
  const first = viewer.received[0];
  const trials: SseDeltaTrial[] = [];
  let missed = 0;
  try {
    for (let i = 1; i <= options.trials; i++) {
      await demo.reset();
      await waitFor(
        'every replica healthy on SSE',
        () => (viewer.latest && allHealthy(viewer.latest.doc) ? true : null),
        60_000,
        50,
      );
      await viewer.nextEvent(30_000); // a poll just ended: the reset is behind us
      await sleep(Math.random() * intervalMs); // faults land at every phase of the poll loop
      const from = viewer.received.length;
      let upTo = -1;
      const seen = viewer.next((doc) => {
        const status = replicaStatus(doc, victim.id);
        if (status === null || status === 'healthy') return false;
        upTo = viewer.received.length; // this event is the last one recorded so far
        return true;
      }, DETECT_TIMEOUT_MS);
      const t0 = performance.now();
      await demo.setFault(victim.id, 'stop');
      const shown = await seen;
      if (!shown || viewer.error) {
        missed += 1;
        log(`sse ${i}/${options.trials}: not seen (${viewer.error ?? 'timeout'})`);
        continue;
      }
      const window = viewer.received.slice(from, upTo);
      const events: Record<string, number> = {};
      for (const e of window) events[e.event] = (events[e.event] ?? 0) + 1;
      const trial = {
        bytes: window.reduce((sum, e) => sum + e.bytes, 0),
        events,
        ms: round(shown.at - t0) ?? 0,
      };
      trials.push(trial);
      log(
        `sse ${i}/${options.trials}: ${trial.bytes} B in ${window.length} events (${Object.entries(
          events,
        )
          .map(([kind, n]) => `${n} ${kind}`)
          .join(', ')}), ${trial.ms} ms`,
      );
    }
  } finally {
    await viewer.close();
    await demo.reset();
  }
  const sizes = trials.map((t) => t.bytes);
  return {
    replicaId: victim.id,
    nodes: options.nodes,
    snapshotBytes: first?.event === 'snapshot' ? first.bytes : 0,
    trials,
    medianBytes: round(median(sizes)),
    maxBytes: sizes.length > 0 ? Math.max(...sizes) : null,
    missed,
  };
}
