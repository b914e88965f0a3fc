// A DTR replica's verdict: the console's own probe, the cluster's own view and the inventory,
// combined by one table (README "How the console judges a member" prints the same table; a test
// reads it there). Reachability is not failure: a member the console cannot reach is down only
// when someone else says so too.
import type {
  ClusterEvidence,
  ConsoleEvidence,
  Evidence,
  InventoryEvidence,
  MemberStatus,
  ProbeResult,
  QuorumVote,
  Verdict,
} from '../types';
import {
  clusterEvidence,
  consoleEvidence,
  inventoryEvidence,
  probeKindOf,
  type ClusterSays,
  type InventoryInput,
  type ViewInput,
} from './evidence';

export const CONSOLE_EVIDENCE: readonly ConsoleEvidence[] = [
  'ok',
  'failing',
  'no-answer',
  'inconclusive',
  'not-probed',
];
export const CLUSTER_EVIDENCE: readonly ClusterEvidence[] = ['ok', 'failing', 'cut-off', 'silent'];
export const INVENTORY_EVIDENCE: readonly InventoryEvidence[] = [
  'ready',
  'down',
  'absent',
  'unknown',
];

type Row = Readonly<Record<InventoryEvidence, MemberStatus>>;

function row(ready: MemberStatus, down: MemberStatus, unknown: MemberStatus = ready): Row {
  // A replica whose node is gone from a fresh node list is a ghost, whatever else is said of it:
  // the console has no address of its own to probe it at.
  return { ready, down, absent: 'ghost', unknown };
}

/**
 * console × cluster → inventory → status. The rules behind the cells:
 * - A replica that answers the console healthy is healthy unless the majority's view reports it
 *   failing (a partitioned replica still answers /_ping).
 * - A replica that answers unhealthy is unhealthy: its own word.
 * - No answer is `unreachable` only when corroborated: by the majority's view, by a replica cut
 *   off from it too, or by UCP (node down, containers stopped). With the majority vouching for
 *   it, it is `unreachable-from-console`; with nobody else's word, `unknown`.
 * - A TLS failure means something answered that the console could not trust: the cluster's word
 *   decides, and without it the state is unknown (down only when UCP says so).
 */
export const REPLICA_VERDICT_TABLE: Readonly<
  Record<ConsoleEvidence, Record<ClusterEvidence, Row>>
> = {
  ok: {
    ok: row('healthy', 'healthy'),
    failing: row('unhealthy', 'unhealthy'),
    'cut-off': row('healthy', 'healthy'),
    silent: row('healthy', 'healthy'),
  },
  failing: {
    ok: row('unhealthy', 'unhealthy'),
    failing: row('unhealthy', 'unhealthy'),
    'cut-off': row('unhealthy', 'unhealthy'),
    silent: row('unhealthy', 'unhealthy'),
  },
  'no-answer': {
    ok: row('unreachable-from-console', 'unreachable'),
    failing: row('unreachable', 'unreachable'),
    'cut-off': row('unreachable', 'unreachable'),
    silent: row('unknown', 'unreachable'),
  },
  inconclusive: {
    ok: row('unreachable-from-console', 'unreachable-from-console'),
    failing: row('unhealthy', 'unreachable'),
    'cut-off': row('unknown', 'unreachable'),
    silent: row('unknown', 'unreachable'),
  },
  'not-probed': {
    ok: row('healthy', 'unreachable'),
    failing: row('unhealthy', 'unreachable'),
    'cut-off': row('unknown', 'unreachable'),
    silent: row('unknown', 'unreachable'),
  },
};

export interface ReplicaVerdictInput {
  id: string;
  node: string;
  /** The console's confirmed probe; null when there was no address to probe. */
  probe: ProbeResult | null;
  /** With no probe: why the console refused to probe it (bad settings or address), if it did. */
  notProbedBecause?: string | null;
  view: ViewInput;
  inventory: InventoryInput;
  nowMs: number;
  /** A replica_timestamp older than this is a replica that stopped reporting. */
  staleReportMs: number;
}

export interface ReplicaJudgement {
  status: MemberStatus;
  /** The contract's `error`: the most specific failure text; null when healthy. */
  error: string | null;
  verdict: Verdict;
  quorumVote: QuorumVote;
}

/** Members whose status alone decides their vote (when RethinkDB's readiness is not shown). */
export function voteOfStatus(status: MemberStatus): QuorumVote {
  switch (status) {
    case 'healthy':
    case 'unreachable-from-console':
      return 'up';
    case 'unknown':
      return 'unknown';
    default:
      return 'down';
  }
}

export function judgeReplica(input: ReplicaVerdictInput): ReplicaJudgement {
  const consoleSays = consoleEvidence(input.probe);
  const clusterSays = clusterEvidence(input.view, input.id, input.nowMs, input.staleReportMs);
  const inventory = inventoryEvidence(input.inventory);
  const evidence: Evidence = {
    console: consoleSays,
    cluster: clusterSays.evidence,
    inventory,
  };
  const status = REPLICA_VERDICT_TABLE[consoleSays][clusterSays.evidence][inventory];
  // RethinkDB's readiness, where the majority's view shows it, is the replica's vote: a replica
  // failing /_ping for its storage is still in the database's majority, and one the console
  // reaches may already be out of it.
  const quorumVote: QuorumVote =
    clusterSays.ready === null ? voteOfStatus(status) : clusterSays.ready ? 'up' : 'down';
  return {
    status,
    error: errorOf(status, input, clusterSays),
    verdict: { evidence, reason: reasonOf(status, input, clusterSays, inventory) },
    quorumVote,
  };
}

function errorOf(
  status: MemberStatus,
  input: ReplicaVerdictInput,
  cluster: ClusterSays,
): string | null {
  const probeError = input.probe && input.probe.status !== 'healthy' ? input.probe.error : null;
  switch (status) {
    case 'healthy':
      return null;
    case 'ghost':
      return `node ${input.node} is not in UCP's node list`;
    case 'unhealthy':
      return (
        (input.probe?.status === 'unhealthy' ? probeError : null) ?? cluster.text ?? probeError
      );
    default:
      return probeError ?? cluster.text ?? input.notProbedBecause ?? 'no evidence either way';
  }
}

function consolePart(input: ReplicaVerdictInput): string {
  const probe = input.probe;
  if (probe === null)
    return input.notProbedBecause
      ? `the console does not probe it: ${input.notProbedBecause}`
      : 'the console has no address to probe it at';
  const why = probe.error ? ` (${probe.error})` : '';
  switch (probeKindOf(probe)) {
    case 'ok':
      return 'it answers the console’s /_ping healthy';
    case 'failing':
      return `it answers the console’s /_ping unhealthy${probe.error ? `: ${probe.error}` : ''}`;
    case 'garbage':
      return `it answers the console’s /_ping with something that is not a health answer${why}`;
    case 'refused':
    case 'timeout':
    case 'network':
      return `the console gets no answer from it${why}`;
    case 'tls':
      return `the console cannot trust its answer${why}`;
  }
}

function clusterPart(cluster: ClusterSays): string {
  switch (cluster.evidence) {
    case 'ok':
      return 'the cluster reports it OK';
    case 'failing':
      return `the cluster reports it failing: ${cluster.text ?? 'no reason given'}`;
    case 'cut-off':
      return `the only replica view the console can read has no majority and cannot see it either (${cluster.text ?? 'not ready'})`;
    case 'silent':
      return 'the console has no current cluster view that speaks of it';
  }
}

function inventoryPart(input: ReplicaVerdictInput, inventory: InventoryEvidence): string | null {
  const node = input.inventory.node;
  switch (inventory) {
    case 'absent':
      return `its node ${input.node} is no longer in UCP’s node list`;
    case 'down':
      return node && node.state !== 'ready'
        ? `UCP reports its node ${input.node} ${node.state}`
        : `UCP reports its dtr-* containers on ${input.node} stopped`;
    default:
      return null;
  }
}

const CONCLUSION: Record<MemberStatus, string> = {
  healthy: '',
  unhealthy: '',
  unreachable: 'so it is down',
  'unreachable-from-console':
    'so the path between the console and it is blocked (firewall, routing, port, DTR_PROBE_SCHEME), or it failed moments ago and the cluster has not noticed yet',
  unknown: 'so the console cannot tell whether it is up',
  ghost:
    'so DTR still counts a replica whose node was removed from the swarm: a leftover that keeps counting against the majority',
};

function reasonOf(
  status: MemberStatus,
  input: ReplicaVerdictInput,
  cluster: ClusterSays,
  inventory: InventoryEvidence,
): string {
  if (status === 'ghost') {
    return `Its node ${input.node} is no longer in UCP’s node list, and ${clusterPart(cluster)} — ${CONCLUSION.ghost}.`;
  }
  const parts = [consolePart(input), clusterPart(cluster), inventoryPart(input, inventory)].filter(
    (p): p is string => p !== null,
  );
  const sentence = parts.join('; ');
  const conclusion = CONCLUSION[status];
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}${conclusion ? ` — ${conclusion}` : ''}.`;
}
