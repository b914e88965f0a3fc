// The fleet overview's rows: one per cluster, with its DTR and UCP quorum, the failures it still
// tolerates, its worst active warning and how long that has been true, and how fresh the figures
// are. Sorted worst first, so the cluster at risk is the first thing an operator reads.
import { isStalled } from './freshness';
import type { ClusterStatus, QuorumStatus, Severity, WarningCode } from './types';

export interface FleetQuorum {
  status: QuorumStatus;
  /** Members counted up, and all members. */
  healthy: number;
  members: number;
  /** Further failures survived right now (negative: quorum lost). */
  margin: number;
}

export interface FleetWarning {
  code: WarningCode;
  severity: Severity;
  title: string;
  /** When the console first saw it active (ISO 8601), or null when it cannot tell. */
  since: string | null;
}

export interface FleetRow {
  name: string;
  /** The cluster's overview page. */
  href: string;
  /** `waiting`: no snapshot yet (the first poll has not finished). */
  state: 'ok' | 'waiting';
  dtr: FleetQuorum | null;
  ucp: FleetQuorum | null;
  worst: FleetWarning | null;
  /** Active warnings: critical and warning severities (notes left out). */
  warnings: number;
  /** When the figures were true (ISO 8601), or null while waiting. */
  generatedAt: string | null;
  /** The figures are older than the monitor should let them be, or a source is failing. */
  stale: boolean;
  pollIntervalMs: number | null;
}

export interface FleetDocument {
  generatedAt: string;
  clusters: FleetRow[];
  /** Clusters the console watches where the reader has no role: counted, never shown. */
  withoutAccess?: number;
}

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };
const QUORUM_RANK: Record<QuorumStatus, number> = {
  lost: 0,
  unknown: 1,
  'at-risk': 2,
  degraded: 3,
  healthy: 4,
};

export interface RowInput {
  name: string;
  href: string;
  /** The cluster's latest status, or null before the first poll. */
  status: ClusterStatus | null;
  /** When each active warning was first seen, by warningKey(). */
  firstSeen: ReadonlyMap<string, string>;
  now: number;
}

/** One warning's identity across snapshots: its code and what it is about. */
export function warningKey(warning: { code: string; subjects: readonly string[] }): string {
  return `${warning.code}\u0000${[...warning.subjects].sort().join('\u0000')}`;
}

export function fleetRow({ name, href, status, firstSeen, now }: RowInput): FleetRow {
  if (!status) {
    return {
      name,
      href,
      state: 'waiting',
      dtr: null,
      ucp: null,
      worst: null,
      warnings: 0,
      generatedAt: null,
      stale: true,
      pollIntervalMs: null,
    };
  }
  const active = status.warnings.filter((warning) => warning.severity !== 'info');
  const worst =
    [...active].sort(
      (a, b) =>
        SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
        Number(b.primary ?? false) - Number(a.primary ?? false),
    )[0] ?? null;
  const age = now - Date.parse(status.generatedAt);
  const stale =
    isStalled(age, status.pollIntervalMs) ||
    Object.values(status.sources).some((source) => source.state !== 'ok');
  const dtr = status.sources.dtr.configured === false ? null : status.dtr.quorum;
  const managers = status.ucp.managers;
  // A source that never answered has no members to count: unknown, not lost (as the banners say).
  const neverRead = (source: 'dtr' | 'ucp', members: number) =>
    status.sources[source].state === 'error' && members === 0;
  return {
    name,
    href,
    state: 'ok',
    dtr: dtr
      ? {
          status: neverRead('dtr', dtr.replicas) ? 'unknown' : dtr.status,
          healthy: dtr.healthy,
          members: dtr.replicas,
          margin: dtr.margin,
        }
      : null,
    ucp: {
      status: neverRead('ucp', managers.total) ? 'unknown' : managers.status,
      healthy: managers.reachable,
      members: managers.total,
      margin: managers.margin,
    },
    worst: worst
      ? {
          code: worst.code,
          severity: worst.severity,
          title: worst.title,
          since: firstSeen.get(warningKey(worst)) ?? null,
        }
      : null,
    warnings: active.length,
    generatedAt: status.generatedAt,
    stale,
    pollIntervalMs: status.pollIntervalMs,
  };
}

/** How bad a row is, smaller first: quorum lost, then unknown, at risk, warnings, healthy. */
function badness(row: FleetRow): number[] {
  const quorum = Math.min(
    QUORUM_RANK[row.dtr?.status ?? 'healthy'],
    QUORUM_RANK[row.ucp?.status ?? 'healthy'],
  );
  return [
    row.state === 'waiting' ? QUORUM_RANK.unknown : quorum,
    row.worst ? SEVERITY_RANK[row.worst.severity] : 3,
    Math.min(row.dtr?.margin ?? Infinity, row.ucp?.margin ?? Infinity),
    row.stale ? 0 : 1,
  ];
}

/** Worst first; clusters alike keep their configured order. */
export function sortFleet(rows: readonly FleetRow[]): FleetRow[] {
  return rows
    .map((row, index) => ({ row, index, key: badness(row) }))
    .sort((a, b) => {
      for (let i = 0; i < a.key.length; i++) {
        const diff = a.key[i]! - b.key[i]!;
        if (diff !== 0) return diff;
      }
      return a.index - b.index;
    })
    .map(({ row }) => row);
}

/**
 * Keeps when each warning was first seen active, across snapshots: a warning that clears and
 * comes back starts again.
 */
export class WarningClock {
  #since = new Map<string, string>();

  observe(
    warnings: readonly { code: string; subjects: readonly string[]; severity: Severity }[],
    at: string,
  ): void {
    const next = new Map<string, string>();
    for (const warning of warnings) {
      if (warning.severity === 'info') continue;
      const key = warningKey(warning);
      next.set(key, this.#since.get(key) ?? at);
    }
    this.#since = next;
  }

  get firstSeen(): ReadonlyMap<string, string> {
    return this.#since;
  }
}
