// Reads history for the API and the history page: the store's samples, events and outages in
// the response's shape. The recorder (history.ts) writes them.
import 'server-only';
import {
  mergeSamples,
  type HistoryEvent,
  type HistoryQuery,
  type Outage,
  type Sample,
} from '@/lib/domain/history';
import type { Instant } from '@/lib/domain/types';
import type { Store } from '@/lib/store';

export interface HealthyPoint {
  at: Instant;
  /** Average healthy replicas over the interval, and the lowest seen. */
  healthy: number;
  lowest: number;
  replicas: number;
  majority: number;
}

export interface MarginPoint {
  at: Instant;
  /** Healthy minus majority: below 0 quorum is lost. Average and lowest over the interval. */
  dtr: number;
  dtrLowest: number;
  ucp: number;
  ucpLowest: number;
}

export interface ManagersPoint {
  at: Instant;
  reachable: number;
  lowest: number;
  total: number;
  majority: number;
}

export interface LatencyPoint {
  at: Instant;
  /** Replica ID → probe round-trip (ms) and the share of probes answered (0–1). */
  replicas: Record<string, { avgMs: number | null; maxMs: number | null; answered: number }>;
}

/** One replica's probe latency over the whole range. */
export interface ReplicaLatency {
  id: string;
  node: string | null;
  avgMs: number | null;
  maxMs: number | null;
  /** Share of probes answered (0–1). */
  answered: number;
}

export interface HistoryResponse {
  from: Instant;
  to: Instant;
  /** Width of each point's interval in ms (0: every raw sample). */
  resolution: number;
  series: {
    healthy?: HealthyPoint[];
    margin?: MarginPoint[];
    managers?: ManagersPoint[];
    latency?: { replicas: ReplicaLatency[]; points: LatencyPoint[] };
  };
  /** State changes in the range, oldest first (when "events" is asked for). */
  events: HistoryEvent[];
  /** Who was down when and for how long, newest first (when "events" is asked for). */
  outages: Outage[];
}

const round = (n: number) => Math.round(n * 100) / 100;
const roundOrNull = (n: number | null) => (n === null ? null : round(n));

/** The store's data in the API's shape: only the series asked for, times as ISO strings. */
export function shapeHistory(
  data: Awaited<ReturnType<Store['history']['query']>>,
  query: HistoryQuery,
  nodes: ReadonlyMap<string, string>,
): HistoryResponse {
  const wants = new Set(query.series);
  const at = (s: Sample) => new Date(s.at).toISOString();
  const series: HistoryResponse['series'] = {};
  if (wants.has('healthy'))
    series.healthy = data.samples.map((s) => ({
      at: at(s),
      healthy: round(s.dtrHealthy),
      lowest: s.dtrHealthyMin,
      replicas: s.dtrReplicas,
      majority: s.dtrMajority,
    }));
  if (wants.has('margin'))
    series.margin = data.samples.map((s) => ({
      at: at(s),
      dtr: round(s.dtrMargin),
      dtrLowest: s.dtrMarginMin,
      ucp: round(s.ucpMargin),
      ucpLowest: s.ucpMarginMin,
    }));
  if (wants.has('managers'))
    series.managers = data.samples.map((s) => ({
      at: at(s),
      reachable: round(s.ucpReachable),
      lowest: s.ucpReachableMin,
      total: s.ucpManagers,
      majority: s.ucpMajority,
    }));
  if (wants.has('latency')) {
    const total = data.samples.length ? mergeSamples(data.samples, query.from).latency : {};
    series.latency = {
      replicas: Object.keys(total)
        .sort()
        .map((id) => {
          const l = total[id];
          return {
            id,
            node: nodes.get(id) ?? null,
            avgMs: roundOrNull(l?.avgMs ?? null),
            maxMs: roundOrNull(l?.maxMs ?? null),
            answered: l && l.probes > 0 ? round(l.replies / l.probes) : 0,
          };
        }),
      points: data.samples.map((s) => ({
        at: at(s),
        replicas: Object.fromEntries(
          Object.entries(s.latency).map(([id, l]) => [
            id,
            {
              avgMs: roundOrNull(l.avgMs),
              maxMs: roundOrNull(l.maxMs),
              answered: l.probes === 0 ? 0 : round(l.replies / l.probes),
            },
          ]),
        ),
      })),
    };
  }
  return {
    from: new Date(query.from).toISOString(),
    to: new Date(query.to).toISOString(),
    resolution: data.resolutionMs,
    series,
    events: data.events,
    outages: data.outages,
  };
}

/** History for a validated query (see historyQuerySchema). */
export async function readHistory(
  store: Pick<Store, 'history'>,
  query: HistoryQuery,
): Promise<HistoryResponse> {
  const [data, states] = await Promise.all([
    store.history.query(query),
    query.series.includes('latency') ? store.history.lastKnownStates() : Promise.resolve([]),
  ]);
  const nodes = new Map<string, string>();
  for (const s of states)
    if (s.kind === 'replica' && s.detail.node) nodes.set(s.subject, s.detail.node);
  for (const e of data.events)
    if (e.kind === 'replica' && e.detail.node) nodes.set(e.subject, e.detail.node);
  return shapeHistory(data, query, nodes);
}
