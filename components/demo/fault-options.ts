// What the demo fault panel offers: the members it can break and the ways it can break them.
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
    kind: 'none',
    label: 'None',
    explain: 'Clears this member’s fault: it behaves normally again.',
  },
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number]['kind'];

export interface TargetGroup {
  label: string;
  options: { value: string; label: string }[];
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
      options: status.dtr.replicas.map((replica) => ({
        value: replica.id,
        label: `${replica.id} on ${replica.node} (${replica.status})`,
      })),
    },
    {
      label: 'UCP managers',
      options: hostOptions(nodes.filter((node) => node.role === 'manager')),
    },
    {
      label: 'DTR caches',
      options: hostOptions(nodes.filter((node) => node.hosts.includes('dtr-cache'))),
    },
    {
      label: 'Workers',
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
