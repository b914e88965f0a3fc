// Memory carried from one poll to the next: confirmed member states and source health.
import type { ClusterSnapshot, ProbeResult, SourceHealth, TrackedProbe } from '@/lib/domain/types';

/** The same probe with a short timeout, for re-probing a member that let the whole timeout pass. */
export interface QuickReprobe {
  probe: () => Promise<ProbeResult>;
  /** The full probe's timeout: a first probe that took (nearly) this long went unanswered. */
  timeoutMs: number;
  /** The quick probe's own timeout. */
  quickTimeoutMs: number;
}

/** A first probe that ran this share of its timeout and found the member unreachable timed out. */
const TIMED_OUT_SHARE = 0.9;

/**
 * The confirming re-probe's timeout after a first probe timed out: a third of the probe timeout
 * (500 ms for the default 1.5 s), at least 100 ms. A member that just kept silent for the whole
 * timeout only has to show it answers again; a healthy one answers in a few ms.
 */
export function quickTimeoutMs(probeTimeoutMs: number): number {
  return Math.min(probeTimeoutMs, Math.max(100, Math.round(probeTimeoutMs / 3)));
}

/**
 * Confirms a probe against the last confirmed state. A new status is re-probed once at once
 * and adopted only if the re-probe agrees; otherwise the old status (and its since) stays.
 *
 * When the first probe timed out (unreachable after the whole timeout) and `quick` is given, the
 * re-probe is `quick.probe`, with its shorter timeout: so a hung member flips after one timeout
 * plus the short one, not two whole timeouts, while one lost answer still does not flip a healthy
 * member (the quick re-probe gets its answer). A re-probe that timed out too adopts the first
 * probe's words ("no answer within <the probe timeout>"), which say what the member did.
 */
export async function confirmProbe(
  previous: TrackedProbe | undefined,
  probe: () => Promise<ProbeResult>,
  quick?: QuickReprobe,
  clock: () => number = () => performance.now(),
): Promise<TrackedProbe> {
  const started = clock();
  const first = await probe();
  if (!previous) return { ...first, since: first.checkedAt };
  if (first.status === previous.status) return { ...first, since: previous.since };
  const firstTimedOut =
    quick !== undefined &&
    first.status === 'unreachable' &&
    clock() - started >= TIMED_OUT_SHARE * quick.timeoutMs;
  const reprobeStarted = clock();
  const second = await (firstTimedOut ? quick.probe : probe)();
  if (second.status === first.status) {
    const silentAgain =
      firstTimedOut && clock() - reprobeStarted >= TIMED_OUT_SHARE * quick.quickTimeoutMs;
    const confirmed = silentAgain ? { ...first, checkedAt: second.checkedAt } : second;
    return { ...confirmed, since: second.checkedAt };
  }
  if (second.status === previous.status) return { ...second, since: previous.since };
  return { ...previous, checkedAt: second.checkedAt };
}

export const NEVER_CHECKED: SourceHealth = {
  state: 'error',
  lastSuccessAt: null,
  lastError: null,
  checkedAt: null,
  configured: true,
};

/** A source the operator did not configure (DTR in a Swarm-only console): nothing to poll. */
export const NOT_CONFIGURED: SourceHealth = {
  state: 'ok',
  lastSuccessAt: null,
  lastError: null,
  checkedAt: null,
  configured: false,
};

/** A source's health after one poll: ok, or stale (had data before) / error (never had any). */
export function nextSourceHealth(
  previous: SourceHealth,
  error: string | null,
  at: string,
): SourceHealth {
  if (error === null)
    return { state: 'ok', lastSuccessAt: at, lastError: null, checkedAt: at, configured: true };
  return {
    state: previous.lastSuccessAt ? 'stale' : 'error',
    lastSuccessAt: previous.lastSuccessAt,
    lastError: error,
    checkedAt: at,
    configured: true,
  };
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// Fields that move on every poll without anything having happened.
// Replicas self-report every few seconds: the report times change on every poll without the
// cluster changing. Warnings that depend on them are re-assessed on every poll anyway.
const VOLATILE = new Set([
  'generatedAt',
  'checkedAt',
  'latencyMs',
  'latencyMedianMs',
  'lastSuccessAt',
  'lastReport',
  'replicaTimestamp',
]);

/** The snapshot's content without per-poll timestamps and latencies, for change detection. */
export function fingerprint(value: unknown): string {
  return JSON.stringify(value, (key, v: unknown) => (VOLATILE.has(key) ? undefined : v));
}

const nodePrints = new WeakMap<object, string>();

/** fingerprint() of a snapshot, in parts: the node list's one per node. */
export interface SnapshotPrint {
  rest: string;
  nodes: string[];
}

/**
 * fingerprint() of a snapshot, with each node's part kept per node object: a quiet poll reuses
 * the node objects of the one before (lib/sources and annotateHosts answer an unchanged list with
 * the same objects), so on 10,000 nodes only what changed is serialised again, and comparing two
 * prints (samePrint) mostly compares the same strings by reference.
 */
export function snapshotFingerprint(snapshot: ClusterSnapshot): SnapshotPrint {
  const rest = fingerprint({ ...snapshot, ucp: { ...snapshot.ucp, nodes: null } });
  const nodes = snapshot.ucp.nodes.map((node) => {
    let print = nodePrints.get(node);
    if (print === undefined) {
      print = fingerprint(node);
      nodePrints.set(node, print);
    }
    return print;
  });
  return { rest, nodes };
}

/** Whether two snapshots' contents are the same (timestamps and latencies aside). */
export function samePrint(a: SnapshotPrint | null, b: SnapshotPrint): boolean {
  if (!a || a.rest !== b.rest || a.nodes.length !== b.nodes.length) return false;
  return a.nodes.every((print, i) => print === b.nodes[i]);
}
