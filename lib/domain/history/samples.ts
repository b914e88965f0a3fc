// History — samples: the sampled series (healthy replicas, margins, latency) and how they merge.
import type { ClusterSnapshot } from '../types';

/** Probe latency of one replica over a sample's interval. */
export interface LatencyStat {
  /** Mean round-trip of the probes that got a reply; null when none did. */
  avgMs: number | null;
  maxMs: number | null;
  /** Probes that got a reply, and probes made. */
  replies: number;
  probes: number;
}

/**
 * One point of the series. Raw samples hold one observation (`count` 1); downsampled ones the
 * average of `count` observations, with the worst value alongside (`*Min`), so a short dip
 * stays visible after averaging.
 */
export interface Sample {
  /** Epoch ms; the bucket start for downsampled points. */
  at: number;
  count: number;
  dtrReplicas: number;
  dtrMajority: number;
  dtrHealthy: number;
  dtrHealthyMin: number;
  dtrMargin: number;
  dtrMarginMin: number;
  ucpManagers: number;
  ucpMajority: number;
  ucpReachable: number;
  ucpReachableMin: number;
  ucpMargin: number;
  ucpMarginMin: number;
  /** Replica ID → latency. */
  latency: Record<string, LatencyStat>;
}

export function sampleOf(snapshot: ClusterSnapshot): Sample {
  const q = snapshot.dtr.quorum;
  const m = snapshot.ucp.managers;
  const latency: Record<string, LatencyStat> = {};
  for (const r of snapshot.dtr.replicas) {
    const ms = r.latencyMs;
    latency[r.id] = { avgMs: ms, maxMs: ms, replies: ms === null ? 0 : 1, probes: 1 };
  }
  return {
    at: Date.parse(snapshot.generatedAt),
    count: 1,
    dtrReplicas: q.replicas,
    dtrMajority: q.majority,
    dtrHealthy: q.healthy,
    dtrHealthyMin: q.healthy,
    dtrMargin: q.margin,
    dtrMarginMin: q.margin,
    ucpManagers: m.total,
    ucpMajority: m.majority,
    ucpReachable: m.reachable,
    ucpReachableMin: m.reachable,
    ucpMargin: m.margin,
    ucpMarginMin: m.margin,
    latency,
  };
}

const AVERAGED = ['dtrHealthy', 'dtrMargin', 'ucpReachable', 'ucpMargin'] as const;
const LOWEST = ['dtrHealthyMin', 'dtrMarginMin', 'ucpReachableMin', 'ucpMarginMin'] as const;
const HIGHEST = ['dtrReplicas', 'dtrMajority', 'ucpManagers', 'ucpMajority'] as const;

function mergeLatency(a: LatencyStat | undefined, b: LatencyStat): LatencyStat {
  if (!a) return { ...b };
  const replies = a.replies + b.replies;
  const avgMs =
    replies === 0 ? null : ((a.avgMs ?? 0) * a.replies + (b.avgMs ?? 0) * b.replies) / replies;
  const maxMs =
    a.maxMs === null ? b.maxMs : b.maxMs === null ? a.maxMs : Math.max(a.maxMs, b.maxMs);
  return { avgMs, maxMs, replies, probes: a.probes + b.probes };
}

/** One sample standing for all of `samples` (weighted by count), dated `at`. */
export function mergeSamples(samples: readonly Sample[], at: number): Sample {
  const first = samples[0];
  if (!first) throw new RangeError('mergeSamples needs at least one sample');
  const merged: Sample = { ...first, at, latency: {} };
  const count = samples.reduce((sum, s) => sum + s.count, 0);
  merged.count = count;
  for (const field of AVERAGED)
    merged[field] = samples.reduce((sum, s) => sum + s[field] * s.count, 0) / count;
  for (const field of LOWEST) merged[field] = Math.min(...samples.map((s) => s[field]));
  for (const field of HIGHEST) merged[field] = Math.max(...samples.map((s) => s[field]));
  for (const s of samples)
    for (const [id, stat] of Object.entries(s.latency))
      merged.latency[id] = mergeLatency(merged.latency[id], stat);
  return merged;
}

/** Samples averaged into buckets of `resolutionMs` (each dated at its start), oldest first. */
export function aggregateSamples(samples: readonly Sample[], resolutionMs: number): Sample[] {
  const sorted = [...samples].sort((a, b) => a.at - b.at);
  if (resolutionMs <= 0) return sorted;
  const buckets = new Map<number, Sample[]>();
  for (const s of sorted) {
    const start = Math.floor(s.at / resolutionMs) * resolutionMs;
    const bucket = buckets.get(start);
    if (bucket) bucket.push(s);
    else buckets.set(start, [s]);
  }
  return [...buckets].map(([start, bucket]) => mergeSamples(bucket, start));
}
