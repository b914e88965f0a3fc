// When a run's command no longer fits the cluster. A command planned on facts that no longer hold
// is withdrawn, not left ready to copy (DESIGN.md §3): the run keeps the facts it was planned on,
// and these rules compare them, and the run's own inputs, with the live status.
import { stillAnswers } from '../advice/ladder';
import { durationInWords, listOf, plural } from '../assess/format';
import type { ClusterSnapshot, Instant, MemberStatus, QuorumStatus, ReplicaState } from '../types';
import type { PlanFacts, WizardRunState } from './run';

export interface Staleness {
  /** One or two plain sentences: what changed, and why the command no longer fits. */
  reason: string;
}

/** The facts a plan rests on, as stored with its run. */
export function planFacts(status: ClusterSnapshot, generatedAt: Instant): PlanFacts {
  const { quorum, replicas } = status.dtr;
  const managers = status.ucp.managers;
  return {
    generatedAt,
    replicas: replicas.map((r) => ({ id: r.id, node: r.node, status: r.status })),
    dtrQuorum: { status: quorum.status, healthy: quorum.healthy, replicas: quorum.replicas },
    ucpQuorum: { status: managers.status, reachable: managers.reachable, total: managers.total },
  };
}

// Up by someone's word, as the wizards count it: the cluster vouches for a member the console
// cannot reach. Down only on evidence; `unknown` is neither.
const isUp = (status: MemberStatus) =>
  status === 'healthy' || status === 'unreachable-from-console';
const isDown = (status: MemberStatus) =>
  status === 'unhealthy' || status === 'unreachable' || status === 'ghost';
const HOLDS: ReadonlySet<QuorumStatus> = new Set(['healthy', 'degraded', 'at-risk']);

/** What the live status lets us judge; withdrawal is final, so only on evidence. */
interface Live {
  status: ClusterSnapshot;
  byId: Map<string, ReplicaState>;
  /**
   * The replica list was read in this poll. A list kept from an earlier read (DTR's API not
   * answering) cannot show that a replica left or joined; each replica is still probed, though.
   */
  listFresh: boolean;
}

function dtrQuorumWords(status: ClusterSnapshot): string {
  const q = status.dtr.quorum;
  return `${q.healthy} of ${plural(q.replicas, 'replica')} healthy, ${q.majority} needed`;
}

function wasWhenPlanned(facts: PlanFacts | null): string {
  if (!facts) return '';
  const q = facts.dtrQuorum;
  return `; it was ${q.status} with ${q.healthy} of ${q.replicas} healthy when this was planned`;
}

/** remove and join need a majority the console can see. */
function majorityGone(live: Live, facts: PlanFacts | null, what: string): string | null {
  const q = live.status.dtr.quorum;
  if (q.status === 'lost')
    return `DTR has lost quorum since this was planned (${dtrQuorumWords(live.status)}${wasWhenPlanned(facts)}). ${what} needs a healthy majority: use emergency repair.`;
  // An undecided quorum read from an old list is the console's blindness, not news of the cluster.
  if (q.status === 'unknown' && live.listFresh)
    return `The console can no longer tell whether DTR has quorum (${dtrQuorumWords(live.status)}, ${q.unknown} unknown${wasWhenPlanned(facts)}). A membership change planned on a guess could cost data: find out first.`;
  return null;
}

function repairStaleness(
  state: Extract<WizardRunState, { kind: 'repair' }>,
  live: Live,
): string | null {
  const q = live.status.dtr.quorum;
  if (HOLDS.has(q.status))
    return `DTR has its quorum back (${dtrQuorumWords(live.status)}). Emergency repair would now throw away working replicas: remove the failed ones and join new ones instead.`;
  const keep = live.byId.get(state.keepReplicaId);
  if (!keep) {
    return live.listFresh
      ? `Replica ${state.keepReplicaId}, the one to keep, is no longer in the replica list.`
      : null;
  }
  if (!stillAnswers(keep) && keep.status !== 'unknown') {
    const others = live.status.dtr.replicas
      .filter((r) => r.id !== keep.id && stillAnswers(r))
      .map((r) => r.id);
    return (
      `Replica ${keep.id} on ${keep.node}, the one to keep, no longer answers (${keep.status}): emergency repair runs on a replica whose containers are up.` +
      (others.length > 0
        ? ` ${listOf(others)} still ${others.length === 1 ? 'answers' : 'answer'}.`
        : '')
    );
  }
  return null;
}

function removeStaleness(
  state: Extract<WizardRunState, { kind: 'remove' }>,
  live: Live,
  facts: PlanFacts | null,
): string | null {
  const gone = state.replicaIds.filter((id) => !live.byId.has(id));
  if (gone.length > 0 && live.listFresh) {
    return `${listOf(gone.map((id) => `Replica ${id}`))} ${gone.length === 1 ? 'is' : 'are'} no longer in the replica list: removed already, by this run or another way.`;
  }
  for (const id of state.replicaIds) {
    const planned = facts?.replicas.find((r) => r.id === id);
    const now = live.byId.get(id);
    // Only a removal planned for a failed replica: a healthy one was meant to go anyway.
    if (planned && now && !isUp(planned.status) && isUp(now.status)) {
      return `Replica ${id} on ${now.node} is ${now.status === 'healthy' ? 'healthy' : 'up'} again (it was ${planned.status} when this was planned). Removing it now would take a working replica out of the cluster.`;
    }
  }
  return majorityGone(live, facts, '`remove`');
}

function joinStaleness(
  state: Extract<WizardRunState, { kind: 'join' }>,
  live: Live,
  facts: PlanFacts | null,
): string | null {
  const hosted = live.status.dtr.replicas.find((r) => r.node === state.node);
  const node = live.status.ucp.nodes.find((n) => n.hostname === state.node);
  if (hosted || node?.hosts.includes('dtr-replica')) {
    return `${state.node} now runs ${hosted ? `DTR replica ${hosted.id}` : 'a DTR replica'}: the join has happened, by this run or another way.`;
  }
  const majority = majorityGone(live, facts, 'A join');
  if (majority) return majority;
  const downNow = (facts?.replicas ?? []).flatMap((planned) => {
    const now = live.byId.get(planned.id);
    return now && isUp(planned.status) && isDown(now.status)
      ? [
          `replica ${now.id} on ${now.node} is ${now.status} (${planned.status} when this was planned)`,
        ]
      : [];
  });
  if (downNow.length > 0) {
    return `Since this was planned, ${listOf(downNow)}. Joining while a failed replica still counts as a member can split the cluster: remove it first, then join.`;
  }
  return null;
}

/** The dtr tool logs in to UCP: without its manager quorum no command runs. */
function ucpStaleness(live: Live): string | null {
  const m = live.status.ucp.managers;
  if (m.total === 0 || m.status !== 'lost') return null;
  return `UCP has lost its manager quorum since this was planned (${m.reachable} of ${m.total} reachable, ${m.majority} needed). The dtr tool logs in to UCP, so the command cannot run: restore the UCP managers first.`;
}

function membershipStaleness(facts: PlanFacts, live: Live): string | null {
  if (!live.listFresh) return null;
  const before = new Set(facts.replicas.map((r) => r.id));
  const left = facts.replicas.filter((r) => !live.byId.has(r.id)).map((r) => r.id);
  const joined = live.status.dtr.replicas.filter((r) => !before.has(r.id)).map((r) => r.id);
  if (left.length === 0 && joined.length === 0) return null;
  const changes = [
    ...(left.length > 0 ? [`${listOf(left)} left`] : []),
    ...(joined.length > 0 ? [`${listOf(joined)} joined`] : []),
  ];
  return `The replica list changed since this was planned: ${changes.join(' and ')}. The command was written for the old membership.`;
}

function expiry(plannedAt: Instant | undefined, nowMs: number, ttlMs: number): string | null {
  const at = plannedAt === undefined ? Number.NaN : Date.parse(plannedAt);
  if (Number.isNaN(at) || nowMs - at <= ttlMs) return null;
  return `It was planned ${durationInWords(nowMs - at)} ago, and a plan holds for ${durationInWords(ttlMs)}: the cluster may have changed in ways the console cannot see.`;
}

/**
 * Whether the live status still supports a run's command; null while it does. Judged on evidence:
 * nothing is concluded from a DTR the console cannot read, or from members of unknown state. A
 * run stored without facts (an older console's) is judged on its own inputs and its age
 * (`createdAt`), not on the statuses and membership it was planned on.
 */
export function runStaleness(
  state: WizardRunState,
  status: ClusterSnapshot,
  nowMs: number,
  ttlMs: number,
  createdAt?: Instant,
): Staleness | null {
  const facts = state.facts ?? null;
  const dtr = status.sources.dtr;
  const readable =
    dtr.configured !== false && dtr.state !== 'error' && status.dtr.replicas.length > 0;
  let reason: string | null = null;
  if (readable) {
    const live: Live = {
      status,
      byId: new Map(status.dtr.replicas.map((r) => [r.id, r])),
      listFresh: dtr.state === 'ok',
    };
    reason =
      (state.kind === 'repair'
        ? repairStaleness(state, live)
        : state.kind === 'remove'
          ? removeStaleness(state, live, facts)
          : joinStaleness(state, live, facts)) ??
      ucpStaleness(live) ??
      (facts ? membershipStaleness(facts, live) : null);
  }
  reason ??= expiry(facts?.generatedAt ?? createdAt, nowMs, ttlMs);
  return reason === null ? null : { reason };
}
