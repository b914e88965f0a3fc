// Connects the monitor to the history store: events on every change, a sample at a fixed cadence,
// retention every hour; and gives back the persisted "offline since" after a restart. Nothing
// here may slow or break the poll loop: writes are queued and their failures only logged.
import 'server-only';
import { ConfigError } from '@/lib/config';
import {
  applyEvents,
  diffAgainst,
  mergeSamples,
  sampleOf,
  type HistoryEvent,
  type HistoryQuery,
  type KnownState,
  type Outage,
  type Sample,
} from '@/lib/domain/history';
import type { ClusterSnapshot, Instant } from '@/lib/domain/types';
import { getStore, type Store } from '@/lib/store';
import { getRuntime } from './runtime';

/** The part of the Monitor history needs. */
export interface HistorySource {
  subscribe(listener: (snapshot: ClusterSnapshot) => void): () => void;
  latest(): ClusterSnapshot | null;
}

export interface HistoryOptions {
  /** One sample per this many ms at most (default 10 s: 2 160 raw rows in the 6 h raw tier). */
  sampleEveryMs?: number;
  /** Default one hour. */
  retentionEveryMs?: number;
  clock?: () => Date;
  log?: (line: string) => void;
}

export interface HistoryHook {
  readonly store: Store;
  /** The snapshot with each replica's `since` moved back to the persisted one when that is older. */
  restoreSince(snapshot: ClusterSnapshot): ClusterSnapshot;
  /** Resolves when every queued write has been tried (tests and shutdown). */
  flush(): Promise<void>;
  stop(): void;
}

export const DEFAULT_SAMPLE_EVERY_MS = 10_000;
const HOUR = 3_600_000;
// Samples are dropped (never events) when the database falls this far behind.
const MAX_QUEUED_SAMPLES = 30;

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Starts recording `monitor` into `store`. Call before the monitor's first poll when possible:
 * the first snapshot is diffed against the states stored before a restart, so a replica that
 * was already down keeps its original "since" instead of gaining a new one.
 */
export async function attachHistory(
  monitor: HistorySource,
  store: Store,
  options: HistoryOptions = {},
): Promise<HistoryHook> {
  const clock = options.clock ?? (() => new Date());
  const log = options.log ?? ((line: string) => console.warn(line));
  const sampleEveryMs = options.sampleEveryMs ?? DEFAULT_SAMPLE_EVERY_MS;

  // Write queue: one write at a time, each failure kind logged once until writes work again.
  let queue: Promise<void> = Promise.resolve();
  let queuedSamples = 0;
  const failing = new Map<string, string>();
  function enqueue(what: 'events' | 'samples' | 'retention', write: () => Promise<unknown>): void {
    if (what === 'samples') {
      if (queuedSamples >= MAX_QUEUED_SAMPLES) return;
      queuedSamples += 1;
    }
    queue = queue
      .then(write)
      .then(
        () => {
          if (failing.delete(what)) log(`history: writing ${what} again`);
        },
        (error: unknown) => {
          const message = errorText(error);
          if (failing.get(what) === message) return;
          failing.set(what, message);
          log(`history: could not write ${what}: ${message} (logged once until it works again)`);
        },
      )
      .finally(() => {
        if (what === 'samples') queuedSamples -= 1;
      });
  }

  let states: KnownState[] = [];
  try {
    states = await store.history.lastKnownStates();
  } catch (error) {
    log(`history: could not read the last known states: ${errorText(error)}`);
  }

  // Every snapshot seen since the last sample, so a dip between two samples is not lost.
  let observed: Sample[] = [];
  let lastSampled: Instant | null = null;

  function sampleNow(): void {
    const latest = monitor.latest();
    if (!latest || latest.generatedAt === lastSampled) return;
    lastSampled = latest.generatedAt;
    const sample = sampleOf(latest);
    const worst = mergeSamples([...observed, sample], sample.at);
    observed = [];
    enqueue('samples', () =>
      store.history.recordSample({
        ...sample,
        dtrHealthyMin: worst.dtrHealthyMin,
        dtrMarginMin: worst.dtrMarginMin,
        ucpReachableMin: worst.ucpReachableMin,
        ucpMarginMin: worst.ucpMarginMin,
      }),
    );
  }

  function onChange(snapshot: ClusterSnapshot): void {
    try {
      observed.push(sampleOf(snapshot));
      const events = diffAgainst(states, snapshot);
      if (events.length > 0) {
        states = applyEvents(states, events);
        enqueue('events', () => store.history.recordEvents(events));
      }
      if (lastSampled === null) sampleNow();
    } catch (error) {
      log(`history: could not follow a snapshot: ${errorText(error)}`);
    }
  }

  const unsubscribe = monitor.subscribe(onChange);
  const current = monitor.latest();
  if (current) onChange(current);

  const retain = () => enqueue('retention', () => store.history.applyRetention(clock().getTime()));
  retain();
  const timers = [
    setInterval(sampleNow, sampleEveryMs),
    setInterval(retain, options.retentionEveryMs ?? HOUR),
  ];
  for (const timer of timers) timer.unref?.();

  return {
    store,
    restoreSince(snapshot) {
      const persisted = new Map(
        states.filter((s) => s.kind === 'replica').map((s) => [s.subject, s]),
      );
      let changed = false;
      const replicas = snapshot.dtr.replicas.map((replica) => {
        const known = persisted.get(replica.id);
        if (!known || known.state !== replica.status) return replica;
        if (!(Date.parse(known.since) < Date.parse(replica.since))) return replica;
        changed = true;
        return { ...replica, since: known.since };
      });
      return changed ? { ...snapshot, dtr: { ...snapshot.dtr, replicas } } : snapshot;
    },
    flush: async () => {
      // Writes queued while waiting join the same queue: wait until it stands still.
      let tail: Promise<void>;
      do {
        tail = queue;
        await tail;
      } while (tail !== queue);
    },
    stop() {
      unsubscribe();
      for (const timer of timers) clearInterval(timer);
    },
  };
}

// ---------------------------------------------------------------------------
// The process-wide hook (globalThis: Next bundles routes separately)

const HOOK = Symbol.for('dtr-ha-console.history');
type HookGlobal = typeof globalThis & { [HOOK]?: HistoryHook };

/**
 * Opens the store and attaches history to the runtime's monitor; the hook then serves
 * restoreSince() and readHistory(). A database that cannot be opened (or an unsupported
 * DATABASE_URL) is a configuration error and is thrown: start-up stops (lib/store/index.ts).
 */
export async function startHistory(
  monitor: HistorySource,
  databaseUrl: string,
  options: HistoryOptions = {},
): Promise<HistoryHook | null> {
  const log = options.log ?? ((line: string) => console.warn(line));
  let store: Store;
  try {
    store = await getStore(databaseUrl);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    log(`history: cannot open the database (${errorText(error)}); running without history`);
    return null;
  }
  const g = globalThis as HookGlobal;
  g[HOOK]?.stop();
  const hook = await attachHistory(monitor, store, options);
  g[HOOK] = hook;
  return hook;
}

/** Stops recording (shutdown and tests); the store stays open until closeStore(). */
export function stopHistory(): void {
  const g = globalThis as HookGlobal;
  g[HOOK]?.stop();
  delete g[HOOK];
}

/** See HistoryHook.restoreSince; the snapshot unchanged when history is not running. */
export function restoreSince(snapshot: ClusterSnapshot): ClusterSnapshot {
  return (globalThis as HookGlobal)[HOOK]?.restoreSince(snapshot) ?? snapshot;
}

// ---------------------------------------------------------------------------
// Reading: GET /api/history and the /history page

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

async function currentStore(): Promise<Store> {
  const hook = (globalThis as HookGlobal)[HOOK];
  if (hook) return hook.store;
  const runtime = await getRuntime();
  return getStore(runtime.config.databaseUrl);
}

/** History for a validated query (see historyQuerySchema). */
export async function readHistory(query: HistoryQuery): Promise<HistoryResponse> {
  const store = await currentStore();
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
