// Fan-in: upstream probes per replica per minute with 1 SSE viewer, then with 200, counted by
// the demo cluster itself. The monitor probes once per interval whatever the number of viewers.
import type { DemoCluster, DemoRequestCounts } from '../../lib/demo';
import { SseViewer } from '../lib/sse-viewer';
import { mean, round, sleep } from '../lib/stats';

export interface FanInRun {
  viewers: number;
  /** Viewers still receiving events at the end of the window. */
  viewersLive: number;
  windowSeconds: number;
  /** GET /_ping per replica per minute, mean over replicas. */
  probesPerReplicaPerMinute: number | null;
  /** Per replica: GET /_ping per minute. */
  perReplica: Record<string, number>;
  /** GET /nodes on UCP per minute: one per monitor poll. */
  pollsPerMinute: number;
  /** GET /_ping per replica per poll, mean over replicas (1.00: one probe each per poll). */
  probesPerReplicaPerPoll: number | null;
  /** Every request the demo cluster received, per minute. */
  upstreamRequestsPerMinute: number;
  /** What one viewer received, per minute: `snapshot` and `pulse` events and bytes. */
  perViewer: { snapshotsPerMinute: number; pulsesPerMinute: number; bytesPerMinute: number };
}

export interface FanInResult {
  runs: FanInRun[];
}

function total(counts: DemoRequestCounts, target: string, paths: readonly string[]): number {
  const byPath = counts[target] ?? {};
  return paths.reduce((sum, p) => sum + (byPath[p] ?? 0), 0);
}

function everything(counts: DemoRequestCounts): number {
  return Object.values(counts).reduce(
    (sum, byPath) => sum + Object.values(byPath).reduce((a, b) => a + b, 0),
    0,
  );
}

async function measureWindow(
  demo: DemoCluster,
  viewers: SseViewer[],
  windowMs: number,
): Promise<FanInRun> {
  const replicaIds = demo.describe().replicas.map((r) => r.id);
  const managers = demo
    .describe()
    .members.filter((m) => m.kind === 'manager')
    .map((m) => m.target);
  // Windows run from one poll's end to another's, so each holds whole polls.
  const clock = viewers[0] as SseViewer;
  await clock.nextEvent(30_000);
  const before = demo.counters();
  const startedAt = Date.now();
  const eventsBefore = viewers.map((v) => v.snapshots + v.pulses);
  const first = viewers[0] as SseViewer;
  const firstBefore = { snapshots: first.snapshots, pulses: first.pulses, bytes: first.bytes };
  await sleep(windowMs);
  await clock.nextEvent(30_000);
  const after = demo.counters();
  const minutes = (Date.now() - startedAt) / 60_000;
  const perMinute = (a: number, b: number) => (b - a) / minutes;
  const probe = ['/_ping', '/health'] as const;
  const perReplica = Object.fromEntries(
    replicaIds.map((id) => [
      id,
      round(perMinute(total(before, id, probe), total(after, id, probe)), 1) as number,
    ]),
  );
  const polls = managers.reduce(
    (sum, m) => sum + total(after, m, ['/nodes']) - total(before, m, ['/nodes']),
    0,
  );
  const probes = replicaIds.map((id) => total(after, id, probe) - total(before, id, probe));
  return {
    viewers: viewers.length,
    viewersLive: viewers.filter(
      (v, i) => v.error === null && v.snapshots + v.pulses > (eventsBefore[i] ?? 0),
    ).length,
    windowSeconds: round(minutes * 60, 1) as number,
    probesPerReplicaPerMinute: round(mean(Object.values(perReplica)), 1),
    perReplica,
    pollsPerMinute: round(polls / minutes, 1) as number,
    probesPerReplicaPerPoll: polls > 0 ? round((mean(probes) ?? 0) / polls, 2) : null,
    upstreamRequestsPerMinute: round(perMinute(everything(before), everything(after)), 1) as number,
    perViewer: {
      snapshotsPerMinute: round(perMinute(firstBefore.snapshots, first.snapshots), 1) as number,
      pulsesPerMinute: round(perMinute(firstBefore.pulses, first.pulses), 1) as number,
      bytesPerMinute: Math.round(perMinute(firstBefore.bytes, first.bytes)),
    },
  };
}

/** `viewer` stays open (the caller owns it); the extra viewers are opened and closed here. */
export async function runFanIn(options: {
  demo: DemoCluster;
  consoleUrl: string;
  headers: Record<string, string>;
  viewer: SseViewer;
  crowd: number;
  windowMs: number;
  log: (line: string) => void;
}): Promise<FanInResult> {
  const { demo, consoleUrl, headers, viewer, crowd, windowMs, log } = options;
  log(`fan-in: 1 viewer for ${windowMs / 1000} s`);
  const single = await measureWindow(demo, [viewer], windowMs);

  const extra = Array.from(
    { length: crowd - 1 },
    () => new SseViewer(consoleUrl, headers, { parse: false }),
  );
  try {
    log(`fan-in: connecting ${crowd} viewers`);
    await Promise.all(extra.map((v) => v.open(60_000)));
    await sleep(2000);
    log(`fan-in: ${crowd} viewers for ${windowMs / 1000} s`);
    const crowded = await measureWindow(demo, [viewer, ...extra], windowMs);
    return { runs: [single, crowded] };
  } finally {
    await Promise.all(extra.map((v) => v.close()));
  }
}

const OPEN_BATCH = 50;

/** One cluster of a fleet console: its demo cluster and the viewer of its own event stream. */
export interface FleetFanInCluster {
  name: string;
  demo: DemoCluster;
  /** The cluster's base URL in the console (`…/c/<name>`). */
  consoleUrl: string;
  viewer: SseViewer;
}

export interface FleetFanInResult {
  /** Viewers per cluster in the crowded window. */
  crowdPerCluster: number;
  /** Viewers on the whole console in the crowded window. */
  crowdTotal: number;
  clusters: { name: string; replicas: number; runs: FanInRun[] }[];
}

/**
 * Fan-in with several clusters in one console: each cluster's window counted by its own demo
 * cluster, all clusters at once — first with one viewer each, then with `crowd` each.
 */
export async function runFleetFanIn(options: {
  clusters: FleetFanInCluster[];
  headers: Record<string, string>;
  crowd: number;
  windowMs: number;
  log: (line: string) => void;
}): Promise<FleetFanInResult> {
  const { clusters, headers, crowd, windowMs, log } = options;
  const names = clusters.map((c) => c.name).join(', ');
  log(
    `fleet fan-in: ${clusters.length} clusters (${names}), 1 viewer each for ${windowMs / 1000} s`,
  );
  const singles = await Promise.all(
    clusters.map((c) => measureWindow(c.demo, [c.viewer], windowMs)),
  );

  const extra = clusters.map((c) =>
    Array.from({ length: crowd - 1 }, () => new SseViewer(c.consoleUrl, headers, { parse: false })),
  );
  try {
    log(
      `fleet fan-in: connecting ${crowd} viewers to each cluster (${crowd * clusters.length} in all)`,
    );
    // Fifty at a time: the crowd arrives as pages open, not in one burst.
    const all = extra.flat();
    for (let i = 0; i < all.length; i += OPEN_BATCH)
      await Promise.all(all.slice(i, i + OPEN_BATCH).map((v) => v.open(60_000)));
    await sleep(2000);
    log(`fleet fan-in: ${crowd} viewers on each cluster for ${windowMs / 1000} s`);
    const crowded = await Promise.all(
      clusters.map((c, i) => measureWindow(c.demo, [c.viewer, ...(extra[i] ?? [])], windowMs)),
    );
    return {
      crowdPerCluster: crowd,
      crowdTotal: crowd * clusters.length,
      clusters: clusters.map((c, i) => ({
        name: c.name,
        replicas: c.demo.describe().replicas.length,
        runs: [singles[i]!, crowded[i]!],
      })),
    };
  } finally {
    await Promise.all(extra.flat().map((v) => v.close()));
  }
}
