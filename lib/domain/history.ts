// History as the console keeps it: state changes as events, a sampled series, the retention tiers
// that keep the file bounded, and outages for the timeline. Pure: the store and the monitor hook
// (lib/store, lib/server/history.ts) do the I/O.
import { z } from 'zod';
import type { ClusterNode, ClusterSnapshot, Instant } from './types';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// ---------------------------------------------------------------------------
// Events and known states

export type HistoryEventKind = 'replica' | 'manager' | 'dtr-quorum' | 'ucp-quorum' | 'source';

/** The state a member takes when it leaves the cluster (replica removed, manager demoted). */
export const REMOVED = 'removed';

/** What an event or state carries beyond the state itself; every field optional. */
export interface HistoryDetail {
  /** Node hostname a replica runs on. */
  node?: string;
  error?: string | null;
  healthy?: number;
  members?: number;
  majority?: number;
  margin?: number;
}

export interface HistoryEvent {
  at: Instant;
  kind: HistoryEventKind;
  /** Replica ID, manager hostname, "dtr"/"ucp" for quorums and sources. */
  subject: string;
  /** null when the subject was first seen. */
  from: string | null;
  to: string;
  detail: HistoryDetail;
}

/** The last known state of one subject and since when it holds (what survives a restart). */
export interface KnownState {
  kind: HistoryEventKind;
  subject: string;
  state: string;
  since: Instant;
  detail: HistoryDetail;
}

const keyOf = (s: { kind: HistoryEventKind; subject: string }) => `${s.kind}:${s.subject}`;

/**
 * A manager's state on the timeline: its verdict (Raft for membership, /_ping and UCP's message
 * for health), with a healthy manager written `reachable` as before the verdict table.
 */
export function managerState(node: ClusterNode): string {
  const status = node.manager?.status;
  if (status !== undefined) return status === 'healthy' ? 'reachable' : status;
  // Snapshots from before the verdict table.
  const reachability = node.manager?.reachability ?? 'unknown';
  const ping = node.manager?.ping ?? null;
  if (reachability !== 'reachable') return reachability;
  if (ping === null || ping.status === 'healthy') return 'reachable';
  return ping.status === 'unknown' ? 'unknown' : 'unhealthy';
}

/** Every subject history tracks, with its state in this snapshot. */
export function statesOf(snapshot: ClusterSnapshot): KnownState[] {
  const at = snapshot.generatedAt;
  const { dtr, ucp } = snapshot;
  const states: KnownState[] = dtr.replicas.map((r) => ({
    kind: 'replica',
    subject: r.id,
    state: r.status,
    since: r.since,
    detail: { node: r.node, error: r.error },
  }));
  for (const node of ucp.nodes) {
    if (node.role !== 'manager') continue;
    states.push({
      kind: 'manager',
      subject: node.hostname,
      state: managerState(node),
      since: node.manager?.ping?.since ?? at,
      detail: { error: node.message || null },
    });
  }
  // A source the operator did not configure (Swarm without DTR) has no quorum to lose.
  const configured = (name: 'ucp' | 'dtr') => snapshot.sources[name].configured !== false;
  if (configured('dtr'))
    states.push({
      kind: 'dtr-quorum',
      subject: 'dtr',
      state: dtr.quorum.status,
      since: at,
      detail: {
        healthy: dtr.quorum.healthy,
        members: dtr.quorum.replicas,
        majority: dtr.quorum.majority,
        margin: dtr.quorum.margin,
      },
    });
  if (configured('ucp'))
    states.push({
      kind: 'ucp-quorum',
      subject: 'ucp',
      state: ucp.managers.status,
      since: at,
      detail: {
        healthy: ucp.managers.reachable,
        members: ucp.managers.total,
        majority: ucp.managers.majority,
        margin: ucp.managers.margin,
      },
    });
  for (const name of ['ucp', 'dtr'] as const) {
    const source = snapshot.sources[name];
    if (!configured(name)) continue;
    states.push({
      kind: 'source',
      subject: name,
      state: source.state,
      since: source.checkedAt ?? at,
      detail: { error: source.lastError },
    });
  }
  return states;
}

/**
 * Events that turn `previous` into the states of `next`. A change is dated by the member's own
 * `since` when that moved (the monitor confirmed the change then), else by the snapshot time.
 * Members missing from `next` count as removed only when their source answered this poll: an
 * empty list from a source that never answered says nothing about the members.
 */
export function diffAgainst(
  previous: readonly KnownState[],
  next: ClusterSnapshot,
): HistoryEvent[] {
  const at = next.generatedAt;
  const before = new Map(previous.map((s) => [keyOf(s), s]));
  const events: HistoryEvent[] = [];
  const seen = new Set<string>();
  for (const state of statesOf(next)) {
    const key = keyOf(state);
    seen.add(key);
    const prior = before.get(key);
    if (prior && prior.state === state.state) continue;
    const moved = !prior || Date.parse(state.since) > Date.parse(prior.since);
    events.push({
      at: moved && state.since <= at ? state.since : at,
      kind: state.kind,
      subject: state.subject,
      from: prior?.state ?? null,
      to: state.state,
      detail: state.detail,
    });
  }
  const answered = {
    replica: next.sources.dtr.state === 'ok',
    manager: next.sources.ucp.state === 'ok',
  };
  for (const prior of previous) {
    if (seen.has(keyOf(prior)) || prior.state === REMOVED) continue;
    if (prior.kind !== 'replica' && prior.kind !== 'manager') continue;
    if (!answered[prior.kind]) continue;
    const { kind, subject, detail } = prior;
    events.push({ at, kind, subject, from: prior.state, to: REMOVED, detail });
  }
  return events;
}

/** Every state change between two snapshots (replicas, managers, both quorums, sources). */
export function diffSnapshots(
  previous: ClusterSnapshot | null,
  next: ClusterSnapshot,
): HistoryEvent[] {
  return diffAgainst(previous ? statesOf(previous) : [], next);
}

/** Known states after `events`: what the store keeps so "offline since" survives a restart. */
export function applyEvents(
  states: readonly KnownState[],
  events: readonly HistoryEvent[],
): KnownState[] {
  const byKey = new Map(states.map((s) => [keyOf(s), s]));
  for (const e of events) {
    if (e.to === REMOVED) byKey.delete(keyOf(e));
    else
      byKey.set(keyOf(e), {
        kind: e.kind,
        subject: e.subject,
        state: e.to,
        since: e.at,
        detail: e.detail,
      });
  }
  return [...byKey.values()];
}

// ---------------------------------------------------------------------------
// Samples

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

// ---------------------------------------------------------------------------
// Retention

export interface RetentionTier {
  /** Bucket size of this tier. */
  resolutionMs: number;
  /** How long points of this tier are kept before they roll up into the next (or go). */
  keepMs: number;
}

export interface RetentionPolicy {
  /** Raw samples (resolution 0) are kept this long, then averaged into the first tier. */
  rawKeepMs: number;
  /** Coarser tiers, finest first; each resolution a multiple of the one before. */
  tiers: RetentionTier[];
  eventsKeepMs: number;
  /** Backstop against a flapping member: only this many newest events are kept. */
  maxEvents: number;
}

/**
 * Raw samples 6 h; 1-minute averages 7 days; 15-minute averages 90 days; events 90 days (at most
 * 100 000). At one sample every 10 s that is at most ~2 200 + ~10 100 + ~8 600 sample rows.
 */
export const DEFAULT_RETENTION: RetentionPolicy = {
  rawKeepMs: 6 * HOUR,
  tiers: [
    { resolutionMs: MINUTE, keepMs: 7 * DAY },
    { resolutionMs: 15 * MINUTE, keepMs: 90 * DAY },
  ],
  eventsKeepMs: 90 * DAY,
  maxEvents: 100_000,
};

export interface Rollup {
  /** Resolution of the points to roll up (0 = raw). */
  fromResolutionMs: number;
  toResolutionMs: number;
  /** Points older than this (a bucket boundary of the target tier) roll up. */
  before: number;
}

export interface DownsamplePlan {
  /** In order: finest first, so a point can move down several tiers in one pass. */
  rollups: Rollup[];
  /** Points of the coarsest tier older than this are deleted. */
  purge: { resolutionMs: number; before: number };
  purgeEventsBefore: number;
  maxEvents: number;
}

export function validateRetention(policy: RetentionPolicy): void {
  const problems: string[] = [];
  if (policy.tiers.length === 0) problems.push('at least one tier is needed');
  let resolution = 0;
  let keep = policy.rawKeepMs;
  for (const tier of policy.tiers) {
    if (!(tier.resolutionMs > resolution) || (resolution > 0 && tier.resolutionMs % resolution))
      problems.push(`tier ${tier.resolutionMs} ms must be a multiple of ${resolution || 1} ms`);
    if (!(tier.keepMs > keep))
      problems.push(`tier ${tier.resolutionMs} ms must keep longer than the tier before`);
    resolution = tier.resolutionMs;
    keep = tier.keepMs;
  }
  if (!(policy.rawKeepMs > 0)) problems.push('rawKeepMs must be positive');
  if (!(policy.eventsKeepMs > 0)) problems.push('eventsKeepMs must be positive');
  if (!(policy.maxEvents >= 1)) problems.push('maxEvents must be at least 1');
  if (problems.length) throw new RangeError(`invalid retention policy: ${problems.join('; ')}`);
}

const floorTo = (t: number, step: number) => Math.floor(t / step) * step;

/** What retention does at `now`: which points roll up into which tier, and what goes. */
export function downsamplePlan(
  now: number,
  policy: RetentionPolicy = DEFAULT_RETENTION,
): DownsamplePlan {
  validateRetention(policy);
  const rollups: Rollup[] = [];
  let fromResolutionMs = 0;
  let keepMs = policy.rawKeepMs;
  for (const tier of policy.tiers) {
    rollups.push({
      fromResolutionMs,
      toResolutionMs: tier.resolutionMs,
      before: floorTo(now - keepMs, tier.resolutionMs),
    });
    fromResolutionMs = tier.resolutionMs;
    keepMs = tier.keepMs;
  }
  return {
    rollups,
    purge: { resolutionMs: fromResolutionMs, before: now - keepMs },
    purgeEventsBefore: now - policy.eventsKeepMs,
    maxEvents: policy.maxEvents,
  };
}

/**
 * Most sample rows each tier can hold when samples come at most every `sampleEveryMs` and
 * retention runs at least every `retentionEveryMs`. Keyed by resolution (0 = raw).
 */
export function retentionBounds(
  policy: RetentionPolicy,
  sampleEveryMs: number,
  retentionEveryMs: number,
): Map<number, number> {
  const bounds = new Map<number, number>();
  let resolution = 0;
  let step = sampleEveryMs;
  let keep = policy.rawKeepMs;
  for (const tier of policy.tiers) {
    // Points wait up to one target bucket (alignment) plus one retention period.
    bounds.set(resolution, Math.ceil((keep + tier.resolutionMs + retentionEveryMs) / step) + 1);
    resolution = tier.resolutionMs;
    step = tier.resolutionMs;
    keep = tier.keepMs;
  }
  bounds.set(resolution, Math.ceil((keep + retentionEveryMs) / step) + 1);
  return bounds;
}

// ---------------------------------------------------------------------------
// Outages

/** States in which a subject counts as down on the timeline. */
export function isDown(kind: HistoryEventKind, state: string): boolean {
  switch (kind) {
    case 'replica':
      return state === 'unhealthy' || state === 'unreachable' || state === 'ghost';
    case 'manager':
      return state === 'unreachable' || state === 'unhealthy';
    case 'dtr-quorum':
    case 'ucp-quorum':
      return state === 'lost';
    case 'source':
      return state === 'stale' || state === 'error';
  }
}

export interface Outage {
  kind: HistoryEventKind;
  subject: string;
  /** Node a replica ran on, when known. */
  node: string | null;
  /** The state it went into first, and every down state it passed through. */
  state: string;
  states: string[];
  error: string | null;
  start: Instant;
  /** null while it lasts. */
  end: Instant | null;
  /** How it ended: back up, or taken out of the cluster. */
  endedBy: 'recovered' | 'removed' | null;
  /** To its end, or to the range's end while it lasts. */
  durationMs: number;
}

/**
 * Outages overlapping `range`, newest first. `events` may include events before the range (the
 * store passes each subject's last earlier event) so an outage already under way is found.
 */
export function outages(
  events: readonly HistoryEvent[],
  range: { from: Instant; to: Instant },
): Outage[] {
  const from = Date.parse(range.from);
  const to = Date.parse(range.to);
  const sorted = [...events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const open = new Map<string, Outage>();
  const done: Outage[] = [];
  for (const e of sorted) {
    const key = keyOf(e);
    const current = open.get(key);
    if (isDown(e.kind, e.to)) {
      if (current) {
        if (!current.states.includes(e.to)) current.states.push(e.to);
        current.error = e.detail.error ?? current.error;
        continue;
      }
      open.set(key, {
        kind: e.kind,
        subject: e.subject,
        node: e.detail.node ?? null,
        state: e.to,
        states: [e.to],
        error: e.detail.error ?? null,
        start: e.at,
        end: null,
        endedBy: null,
        durationMs: 0,
      });
    } else if (current) {
      open.delete(key);
      current.end = e.at;
      current.endedBy = e.to === REMOVED ? 'removed' : 'recovered';
      current.durationMs = Date.parse(e.at) - Date.parse(current.start);
      done.push(current);
    }
  }
  for (const current of open.values()) {
    current.durationMs = Math.max(0, to - Date.parse(current.start));
    done.push(current);
  }
  return done
    .filter((o) => Date.parse(o.start) <= to && (o.end === null || Date.parse(o.end) >= from))
    .sort(
      (a, b) => Date.parse(b.start) - Date.parse(a.start) || a.subject.localeCompare(b.subject),
    );
}

// ---------------------------------------------------------------------------
// Time ranges (the API's query and the page's URL)

export const HISTORY_PRESETS = {
  '1h': HOUR,
  '6h': 6 * HOUR,
  '24h': DAY,
  '7d': 7 * DAY,
  '30d': 30 * DAY,
} as const;
export type HistoryPreset = keyof typeof HISTORY_PRESETS;
export const DEFAULT_PRESET: HistoryPreset = '6h';
export const MAX_RANGE_MS = 90 * DAY;

export const HISTORY_SERIES = ['healthy', 'margin', 'latency', 'managers', 'events'] as const;
export type HistorySeries = (typeof HISTORY_SERIES)[number];

const RELATIVE_UNITS: Record<string, number> = {
  s: SECOND,
  m: MINUTE,
  min: MINUTE,
  h: HOUR,
  d: DAY,
  w: 7 * DAY,
};

/** "now", "-6h", "-30m", "-7d" (relative to `now`) or an ISO 8601 time; null when neither. */
export function parseTime(text: string, now: number): number | null {
  const value = text.trim();
  if (value === 'now') return now;
  const relative = /^-(\d{1,6})(s|m|min|h|d|w)$/.exec(value);
  if (relative) return now - Number(relative[1]) * (RELATIVE_UNITS[relative[2] ?? ''] ?? NaN);
  // Only full dates: Date.parse accepts too much ("1", "May 1") to be a contract.
  if (!/^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d{1,3})?)?(Z|[+-]\d\d:?\d\d)?)?$/.test(value))
    return null;
  const iso = value.replace(' ', 'T');
  const zoned = !iso.includes('T') || /(Z|[+-]\d\d:?\d\d)$/.test(iso);
  const ms = Date.parse(zoned ? iso : `${iso}Z`);
  return Number.isFinite(ms) ? ms : null;
}

const TIME_HINT =
  'an ISO time (2024-05-01T12:00:00Z), "now" or a relative time like -6h, -30m, -7d';

/** GET /api/history's query, checked against `now`. */
export function historyQuerySchema(now: number) {
  const time = () =>
    z.string().transform((raw, ctx) => {
      const ms = parseTime(raw, now);
      if (ms === null) {
        ctx.addIssue({ code: 'custom', message: `expected ${TIME_HINT}, got "${raw}"` });
        return z.NEVER;
      }
      return ms;
    });
  return z
    .object({
      from: time().optional(),
      to: time().optional(),
      series: z
        .string()
        .optional()
        .transform((raw, ctx) => {
          if (raw === undefined || raw.trim() === '') return [...HISTORY_SERIES];
          const names = [...new Set(raw.split(',').map((s) => s.trim()))];
          const unknown = names.filter((n) => !(HISTORY_SERIES as readonly string[]).includes(n));
          if (unknown.length) {
            ctx.addIssue({
              code: 'custom',
              message: `unknown ${unknown.map((u) => `"${u}"`).join(', ')}; expected a comma list of ${HISTORY_SERIES.join(', ')}`,
            });
            return z.NEVER;
          }
          return names as HistorySeries[];
        }),
    })
    .strict()
    .transform(({ from, to, series }, ctx) => {
      const end = to ?? now;
      const start = from ?? end - HISTORY_PRESETS[DEFAULT_PRESET];
      if (start >= end) {
        ctx.addIssue({ code: 'custom', path: ['from'], message: 'must be before to' });
        return z.NEVER;
      }
      if (end - start > MAX_RANGE_MS) {
        ctx.addIssue({
          code: 'custom',
          path: ['from'],
          message: 'the range can span at most 90 days',
        });
        return z.NEVER;
      }
      return { from: start, to: end, series };
    });
}

export type HistoryQuery = z.infer<ReturnType<typeof historyQuerySchema>>;

export interface PageRange {
  from: number;
  to: number;
  /** The preset in force, or null for a custom range. */
  preset: HistoryPreset | null;
  /** Why the URL's range was not used, for the page to say. */
  notice: string | null;
}

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** The /history page's range from its URL: `?range=24h` or `?from=…&to=…`; junk → the default. */
export function pageRange(
  params: Record<string, string | string[] | undefined>,
  now: number,
): PageRange {
  const preset = first(params.range);
  const from = first(params.from);
  const to = first(params.to);
  const fallback = (notice: string | null): PageRange => ({
    from: now - HISTORY_PRESETS[DEFAULT_PRESET],
    to: now,
    preset: DEFAULT_PRESET,
    notice,
  });
  if (from !== undefined || to !== undefined) {
    const parsed = historyQuerySchema(now).safeParse({ from, to });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const why = issue ? `${issue.path.join('.') || 'range'}: ${issue.message}` : 'not a range';
      return fallback(
        `The custom range in the link was not usable (${why}); showing the last 6 hours.`,
      );
    }
    return { from: parsed.data.from, to: parsed.data.to, preset: null, notice: null };
  }
  if (preset === undefined) return fallback(null);
  if (preset in HISTORY_PRESETS) {
    const p = preset as HistoryPreset;
    return { from: now - HISTORY_PRESETS[p], to: now, preset: p, notice: null };
  }
  return fallback(
    `"${preset.slice(0, 20)}" is not a range; choose ${Object.keys(HISTORY_PRESETS).join(', ')} or a custom range. Showing the last 6 hours.`,
  );
}

const NICE_STEPS = [
  10 * SECOND,
  30 * SECOND,
  MINUTE,
  5 * MINUTE,
  15 * MINUTE,
  HOUR,
  3 * HOUR,
  6 * HOUR,
  DAY,
];

/**
 * Bucket size for a chart of [from, to] with at most `maxPoints` points, and never finer than
 * the stored data at `from` (older points only exist downsampled).
 */
export function resolutionFor(
  range: { from: number; to: number },
  now: number,
  policy: RetentionPolicy = DEFAULT_RETENTION,
  maxPoints = 600,
): number {
  const wanted = (range.to - range.from) / maxPoints;
  let stored = 0;
  let keep = policy.rawKeepMs;
  for (const tier of policy.tiers) {
    if (range.from >= now - keep) break;
    stored = tier.resolutionMs;
    keep = tier.keepMs;
  }
  const step = NICE_STEPS.find((s) => s >= wanted) ?? NICE_STEPS[NICE_STEPS.length - 1] ?? DAY;
  return Math.max(step, stored);
}
