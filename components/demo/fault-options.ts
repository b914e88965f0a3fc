// What the demo fault panel offers: the members it can break and the ways it can break them.
import { FAULTS_BY_MEMBER, type DemoMemberKind } from '@/lib/demo/faults';
import type { ClusterStatus } from '@/lib/domain/types';

export const FAULT_KINDS = [
  { kind: 'stop', label: 'Stop', explain: 'Refuses connections, like a stopped container.' },
  {
    kind: 'hang',
    label: 'Hang',
    explain: 'Accepts connections but never answers: probes must time out.',
  },
  {
    kind: 'slow',
    label: 'Slow',
    explain: 'Answers, but late: latency climbs toward the probe timeout.',
  },
  {
    kind: 'error',
    label: 'Error',
    explain: 'Answers 503 with an error naming the failing part (e.g. rethinkdb).',
  },
  { kind: 'garbage', label: 'Garbage', explain: 'Answers with malformed JSON.' },
  {
    kind: 'stale',
    label: 'Stale report',
    explain: 'A DTR replica stops refreshing its self-report time.',
  },
  {
    kind: 'partition',
    label: 'Partition',
    explain: 'A DTR replica answers its own ping but is cut off from the others.',
  },
  {
    kind: 'partition-from-console',
    label: 'Cut off from the console',
    explain:
      'Refuses the console’s connections while the cluster still sees the member fine: a firewall between console and member, not a failure.',
  },
  {
    kind: 'ghost',
    label: 'Ghost (node removed)',
    explain:
      'A DTR replica’s node is removed from the swarm while DTR still lists the replica, as after docker node rm of a dead node.',
  },
  {
    kind: 'readonly',
    label: 'Read-only',
    explain: 'cluster_status marks a DTR replica read-only: pushes through it fail.',
  },
  {
    kind: 'version-skew',
    label: 'Version skew',
    explain: 'A DTR replica runs an older DTR version than the others.',
  },
  {
    kind: 'twin',
    label: 'Leftover ID',
    explain:
      'A second replica ID is listed on the replica’s node: the leftover of a join that did not finish.',
  },
  {
    kind: 'no-leader',
    label: 'No Raft leader',
    explain:
      'A UCP manager fault: Swarm Raft has no leader, as in an election that does not finish.',
  },
  {
    kind: 'none',
    label: 'None',
    explain: 'Clears this member’s fault: it behaves normally again.',
  },
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number]['kind'];

export interface TargetGroup {
  label: string;
  /** The faults this kind of member accepts (the demo refuses the others). */
  accepts: readonly FaultKind[];
  options: { value: string; label: string }[];
}

/** The fault kinds a member accepts, in the panel's order. */
function accepted(member: DemoMemberKind): readonly FaultKind[] {
  const allowed = FAULTS_BY_MEMBER[member] as readonly string[];
  return FAULT_KINDS.map((option) => option.kind).filter((kind) => allowed.includes(kind));
}

/** Replicas by ID, then managers, caches and plain workers by hostname. */
export function faultTargets(status: ClusterStatus): TargetGroup[] {
  const nodes = status.ucp.nodes;
  const byName = (a: { hostname: string }, b: { hostname: string }) =>
    a.hostname.localeCompare(b.hostname);
  const hostOptions = (list: typeof nodes) =>
    [...list]
      .sort(byName)
      .map((node) => ({ value: node.hostname, label: `${node.hostname} (${node.state})` }));
  const groups: TargetGroup[] = [
    {
      label: 'DTR replicas',
      accepts: accepted('replica'),
      options: status.dtr.replicas.map((replica) => ({
        value: replica.id,
        label: `${replica.id} on ${replica.node} (${replica.status})`,
      })),
    },
    {
      label: 'UCP managers',
      accepts: accepted('manager'),
      options: hostOptions(nodes.filter((node) => node.role === 'manager')),
    },
    {
      label: 'DTR caches',
      accepts: accepted('cache'),
      options: hostOptions(nodes.filter((node) => node.hosts.includes('dtr-cache'))),
    },
    {
      label: 'Workers',
      accepts: accepted('worker'),
      options: hostOptions(
        nodes.filter(
          (node) =>
            node.role === 'worker' &&
            !node.hosts.includes('dtr-cache') &&
            !node.hosts.includes('dtr-replica'),
        ),
      ),
    },
  ];
  return groups.filter((group) => group.options.length > 0);
}
