// History — events and known states: what changed, as the store records it.
import type { ClusterNode, ClusterSnapshot, Instant } from '../types';

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

/** One key per subject of an event or state. */
export const keyOf = (s: { kind: HistoryEventKind; subject: string }) => `${s.kind}:${s.subject}`;

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
