// Words for the history page: outage sentences, chart summaries and the tables that stand in for
// the charts. Pure, so the server renders them and tests read them.
// From the modules themselves, not the lib/domain/history index: the index also carries the zod
// range parser, which the history charts (client code) must not pull into the browser.
import type { HistoryEvent, HistoryEventKind } from '@/lib/domain/history/events';
import { isDown, type Outage } from '@/lib/domain/history/outages';
import { formatDateTime, formatDuration, formatLatency, plural } from '@/lib/format';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const pad = (n: number) => String(n).padStart(2, '0');

/** Axis tick in UTC: "14:05" within two days, "05-01 14:00" beyond. */
export function formatTick(ms: number, spanMs: number): string {
  const d = new Date(ms);
  const clock = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return spanMs <= 2 * DAY ? clock : `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${clock}`;
}

/** "1 min", "15 min", "1 h": how wide each plotted point is. */
export function describeResolution(ms: number): string {
  return ms === 0 ? 'every sample' : `${formatDuration(ms)} averages`;
}

const STATE_WORDS: Record<string, string> = {
  unreachable: 'went unreachable',
  unhealthy: 'became unhealthy',
  ghost: 'lost its node (a ghost)',
  'unreachable-from-console': 'became unreachable from the console',
  lost: 'lost quorum',
  stale: 'stopped answering',
  error: 'could not be reached',
};

function who(kind: HistoryEventKind, subject: string, node: string | null): string {
  switch (kind) {
    case 'replica':
      return `Replica ${subject}${node ? ` on ${node}` : ''}`;
    case 'manager':
      return `UCP manager ${subject}`;
    case 'dtr-quorum':
      return 'The DTR cluster';
    case 'ucp-quorum':
      return 'The UCP managers';
    case 'source':
      return `The ${subject.toUpperCase()} API`;
  }
}

export interface OutageSentence {
  /** "Replica a1640e1c15b6 on dtr-node-3 went unreachable" */
  what: string;
  start: string;
  /** ", for 3 min 12 s" / ", for 2 h, until it was removed" / null while it lasts */
  ended: string | null;
}

export function describeOutage(outage: Outage): OutageSentence {
  const what = `${who(outage.kind, outage.subject, outage.node)} ${STATE_WORDS[outage.state] ?? `went ${outage.state}`}`;
  const start = formatDateTime(outage.start);
  if (outage.end === null) return { what, start, ended: null };
  const length = formatDuration(outage.durationMs);
  return {
    what,
    start,
    ended: outage.endedBy === 'removed' ? `for ${length}, until it was removed` : `for ${length}`,
  };
}

// ---------------------------------------------------------------------------
// Chart data and its text alternative

export interface HealthyRow {
  t: number;
  healthy: number;
  lowest: number;
  majority: number;
  replicas: number;
}

export interface MarginRow {
  t: number;
  dtr: number;
  ucp: number;
}

export interface LatencyRow {
  t: number;
  /** Replica ID → average ms, null with no reply. */
  [replicaId: string]: number | null;
}

/** Consecutive points with the same values, as one table row. */
export interface Run<T> {
  from: number;
  to: number;
  value: T;
}

export function runs<P extends { t: number }, T>(
  points: readonly P[],
  valueOf: (point: P) => T,
): Run<T>[] {
  const out: Run<T>[] = [];
  points.forEach((p) => {
    const value = valueOf(p);
    const last = out.at(-1);
    if (last && JSON.stringify(last.value) === JSON.stringify(value)) last.to = p.t;
    else out.push({ from: p.t, to: p.t, value });
  });
  return out;
}

export function summariseHealthy(rows: readonly HealthyRow[]): string {
  if (rows.length === 0) return 'No samples in this range.';
  const worst = Math.min(...rows.map((r) => r.lowest));
  const below = rows.filter((r) => r.lowest < r.majority).length;
  const members = Math.max(...rows.map((r) => r.replicas));
  const lowestAt = rows.find((r) => r.lowest === worst);
  const head = `Of ${plural(members, 'DTR replica')}, the fewest healthy was ${worst}${lowestAt ? ` (first at ${formatDateTime(lowestAt.t)})` : ''}.`;
  return below === 0
    ? `${head} Healthy replicas never fell below the majority.`
    : `${head} Below the majority — quorum lost — in ${plural(below, 'interval')}.`;
}

export function summariseMargin(rows: readonly MarginRow[]): string {
  if (rows.length === 0) return 'No samples in this range.';
  const dtr = Math.min(...rows.map((r) => r.dtr));
  const ucp = Math.min(...rows.map((r) => r.ucp));
  const say = (name: string, m: number) =>
    m < 0
      ? `${name} lost quorum (lowest margin ${m})`
      : m === 0
        ? `${name} reached margin 0: one more failure would have lost quorum`
        : `${name} always had at least ${plural(m, 'failure')} to spare`;
  return `${say('DTR', dtr)}; ${say('UCP', ucp)}.`;
}

export interface LatencySummary {
  id: string;
  node: string | null;
  avgMs: number | null;
  maxMs: number | null;
  /** Share of probes answered, 0–1. */
  answered: number;
}

export function summariseLatency(rows: readonly LatencySummary[]): string {
  if (rows.length === 0) return 'No probe latency in this range.';
  return rows
    .map(
      (r) =>
        `${r.id}${r.node ? ` (${r.node})` : ''}: average ${formatLatency(r.avgMs)}, slowest ${formatLatency(r.maxMs)}, ${Math.round(r.answered * 100)}% of probes answered`,
    )
    .join('; ')
    .concat('.');
}

// ---------------------------------------------------------------------------
// Severity and grouping of the timeline

export type OutageSeverity = 'critical' | 'warning';

/** A lost quorum is an outage of the registry or the swarm; anything else is one member. */
export function outageSeverity(outage: Pick<Outage, 'kind'>): OutageSeverity {
  return outage.kind === 'dtr-quorum' || outage.kind === 'ucp-quorum' ? 'critical' : 'warning';
}

/** A member that was back within this long is a blip, not an outage worth its own entry. */
export const BLIP_MS = 60_000;

export function isBlip(outage: Outage): boolean {
  return (
    outage.end !== null &&
    outage.endedBy === 'recovered' &&
    outage.durationMs < BLIP_MS &&
    outageSeverity(outage) !== 'critical'
  );
}

export type TimelineEntry =
  | { kind: 'outage'; outage: Outage }
  /** Two or more blips in a row (newest first), shown as one line that opens to list them. */
  | { kind: 'blips'; outages: Outage[]; from: string; to: string };

/**
 * The timeline's entries, newest first as given: each run of two or more consecutive blips
 * becomes one entry, so a lost quorum among dozens of short drops still stands out.
 */
export function timelineEntries(outages: readonly Outage[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  let run: Outage[] = [];
  const flush = () => {
    const [only] = run;
    if (run.length === 1 && only) entries.push({ kind: 'outage', outage: only });
    else if (run.length > 1) {
      const starts = run.map((o) => o.start).sort();
      const ends = run.map((o) => o.end ?? o.start).sort();
      entries.push({
        kind: 'blips',
        outages: run,
        from: starts[0] ?? '',
        to: ends[ends.length - 1] ?? '',
      });
    }
    run = [];
  };
  for (const outage of outages) {
    if (isBlip(outage)) run.push(outage);
    else {
      flush();
      entries.push({ kind: 'outage', outage });
    }
  }
  flush();
  return entries;
}

const BLIP_WHO: Record<HistoryEventKind, string> = {
  replica: 'DTR replica',
  manager: 'UCP manager',
  'dtr-quorum': 'DTR quorum',
  'ucp-quorum': 'UCP quorum',
  source: 'API access',
};

/** "32 short drops, each back within 1 min: 30 DTR replicas, 2 UCP managers". */
export function describeBlips(outages: readonly Outage[]): string {
  const byKind = new Map<HistoryEventKind, number>();
  for (const o of outages) byKind.set(o.kind, (byKind.get(o.kind) ?? 0) + 1);
  const parts = [...byKind].map(([kind, n]) => plural(n, BLIP_WHO[kind]));
  return `${outages.length} short drops, each back within ${formatDuration(BLIP_MS)}: ${parts.join(', ')}`;
}

/** A state change's weight: a quorum lost, a member down, or a return to service. */
export function eventSeverity(event: Pick<HistoryEvent, 'kind' | 'to'>): OutageSeverity | 'info' {
  if (!isDown(event.kind, event.to)) return 'info';
  return outageSeverity(event);
}
