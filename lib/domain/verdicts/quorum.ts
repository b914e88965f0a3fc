// A group's quorum from its members' votes, with what the verdict rests on. `lost` only when
// corroborated: every member counted down was judged down on someone else's word too (the
// verdict tables see to that), and a view from a working majority contradicts it.
import { assessQuorum } from '../quorum';
import type {
  DtrClusterView,
  DtrQuorum,
  ManagerSummary,
  MemberStatus,
  Quorum,
  QuorumVote,
} from '../types';

function plural(count: number, word: string): string {
  return `${count} ${count === 1 ? word : `${word}s`}`;
}

function countVotes(votes: readonly QuorumVote[]): { up: number; unknown: number } {
  return {
    up: votes.filter((v) => v === 'up').length,
    unknown: votes.filter((v) => v === 'unknown').length,
  };
}

export interface DtrMemberVote {
  status: MemberStatus;
  quorumVote: QuorumVote;
}

/**
 * DTR's quorum. The replicas' votes come from RethinkDB's own readiness where a view from the
 * majority shows it, else from their verdicts. A fresh view whose tables take writes proves a
 * majority works: a count that says otherwise is undecided, never lost.
 */
export function judgeDtrQuorum(
  replicas: readonly DtrMemberVote[],
  view: { data: DtrClusterView | null; fresh: boolean },
): DtrQuorum {
  const { up, unknown } = countVotes(replicas.map((r) => r.quorumVote));
  let q: Quorum = assessQuorum(replicas.length, up, unknown);
  const writable = view.fresh && view.data?.tablesReadyForWrites === true;
  const contradicted = q.status === 'lost' && replicas.length > 0 && writable;
  if (contradicted) q = { ...q, status: 'unknown' };
  return {
    replicas: q.members,
    healthy: q.healthy,
    majority: q.majority,
    failuresTolerated: q.failuresTolerated,
    margin: q.margin,
    status: q.status,
    unknown: q.unknown,
    basis: dtrBasis(replicas, view, q, contradicted),
  };
}

function dtrBasis(
  replicas: readonly DtrMemberVote[],
  view: { data: DtrClusterView | null; fresh: boolean },
  q: Quorum,
  contradicted: boolean,
): string {
  if (replicas.length === 0) return 'DTR lists no replicas the console could read.';
  const data = view.fresh ? view.data : null;
  const fromTables =
    data?.tablesReadyForWrites === true &&
    replicas.length > 0 &&
    (data.replicasInTables?.length ?? 0) > 0;
  const reached = replicas.filter((r) => r.status === 'healthy').length;
  const vouched = replicas.filter((r) => r.status === 'unreachable-from-console').length;
  const parts: string[] = [];
  if (fromTables) {
    parts.push(
      `RethinkDB’s own status${data.reportedBy ? ` (as replica ${data.reportedBy} sees it)` : ''} shows ${q.healthy} of ${plural(q.members, 'replica')} in the majority, and its tables take writes`,
    );
  } else if (data) {
    parts.push(
      data.tablesReadyForWrites === false
        ? `${q.healthy} of ${plural(q.members, 'replica')} count; no replica the console can read has tables that take writes`
        : `${q.healthy} of ${plural(q.members, 'replica')} count, by their own /_ping and the cluster’s report`,
    );
  } else {
    parts.push(
      `${q.healthy} of ${plural(q.members, 'replica')} count, by the console’s own probes: it has no current cluster view`,
    );
  }
  if (vouched > 0)
    parts.push(
      `${plural(vouched, 'replica')} the console cannot reach ${vouched === 1 ? 'is' : 'are'} vouched for by the cluster`,
    );
  if (q.unknown > 0)
    parts.push(
      `${plural(q.unknown, 'replica')} of unknown state ${q.status === 'unknown' ? 'decide' + (q.unknown === 1 ? 's' : '') + ' it: the console cannot tell' : 'cannot change it: quorum holds either way'}`,
    );
  if (contradicted)
    parts.push('the cluster says its tables take writes, so a majority works whatever the count');
  if (
    !fromTables &&
    reached < replicas.length &&
    vouched === 0 &&
    q.unknown === 0 &&
    q.status !== 'healthy'
  )
    parts.push(`the console reaches ${reached} of them healthy`);
  const sentence = parts.join('; ');
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
}

export interface ManagerMemberVote {
  hostname: string;
  leader: boolean;
  quorumVote: QuorumVote;
}

/**
 * The managers' quorum from Raft. Swarm's own "does not have a leader" is corroboration of loss;
 * a fresh list without a leader is flagged (an election under way, or worse).
 */
export function judgeManagerQuorum(
  managers: readonly ManagerMemberVote[],
  input: { listFresh: boolean; swarmSaysNoLeader: boolean; pinged: boolean },
): ManagerSummary {
  const { up, unknown } = countVotes(managers.map((m) => m.quorumVote));
  let q: Quorum = assessQuorum(managers.length, up, unknown);
  const leader = input.listFresh ? (managers.find((m) => m.leader)?.hostname ?? null) : null;
  const noLeader =
    managers.length > 0 && (input.swarmSaysNoLeader || (input.listFresh && leader === null));
  if (input.swarmSaysNoLeader && managers.length > 0 && q.status !== 'lost') {
    // Swarm itself says too few managers are online: fewer than a majority are, whatever the
    // old list or the pings suggest.
    q = assessQuorum(managers.length, Math.min(up, q.majority - 1), 0);
  }
  return {
    total: q.members,
    reachable: q.healthy,
    leader,
    majority: q.majority,
    failuresTolerated: q.failuresTolerated,
    margin: q.margin,
    status: q.status,
    unknown: q.unknown,
    basis: managerBasis(q, input, leader),
    noLeader,
  };
}

function managerBasis(
  q: Quorum,
  input: { listFresh: boolean; swarmSaysNoLeader: boolean; pinged: boolean },
  leader: string | null,
): string {
  if (q.members === 0) return 'The console has no list of managers yet.';
  if (input.swarmSaysNoLeader)
    return `Swarm answers that it has no leader (too few managers online); ${q.healthy} of ${plural(q.members, 'manager')} known reachable.`;
  if (input.listFresh) {
    const lead = leader ? `, leader ${leader}` : ', and no leader';
    return `Swarm Raft reports ${q.healthy} of ${plural(q.members, 'manager')} reachable${lead}.`;
  }
  const pings = input.pinged
    ? `${q.healthy} of ${plural(q.members, 'manager')} answer their own /_ping`
    : `${q.healthy} of ${plural(q.members, 'manager')} known reachable`;
  return `The node list cannot be read now, so Raft’s word is old: ${pings}${q.unknown > 0 ? `, ${q.unknown} unknown` : ''}.`;
}
