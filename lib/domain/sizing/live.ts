// What the running cluster looks like in the plan's terms, read from GET /api/status.
import type {
  HostedRole,
  MemberStatus,
  NodeRole,
  QuorumStatus,
  QuorumVote,
  Reachability,
} from '../types';
import { survivesAnyZoneLoss } from './zones';

/** The fields of GET /api/status the comparison reads (ClusterStatus satisfies it). */
export interface LiveClusterInput {
  mode: 'demo' | 'live';
  dtr: {
    replicas: readonly { id: string; node: string; status: MemberStatus }[];
    quorum?: { status: QuorumStatus };
  };
  ucp: {
    managers: { total: number; reachable: number; status?: QuorumStatus };
    nodes: readonly {
      hostname: string;
      role: NodeRole;
      labels: Readonly<Record<string, string>>;
      hosts: readonly HostedRole[];
      manager?: { reachability: Reachability; quorumVote?: QuorumVote } | null;
    }[];
  };
}

/** Node labels that name a failure zone, most specific first. */
export const ZONE_LABELS = [
  'zone',
  'topology.kubernetes.io/zone',
  'failure-domain.beta.kubernetes.io/zone',
];

export interface LiveSummary {
  mode: 'demo' | 'live';
  replicas: number;
  healthyReplicas: number;
  /** Replicas judged down (unhealthy, unreachable, ghost): what a plan removes before joining. */
  unhealthyReplicas: { id: string; node: string; status: MemberStatus }[];
  /** Replicas the console cannot judge: no plan changes membership until someone looks. */
  unknownReplicas: { id: string; node: string }[];
  /** The console's verdict on the DTR quorum, when the status carries it. */
  dtrQuorum: QuorumStatus | null;
  ucpQuorum: QuorumStatus | null;
  replicasOnManagers: { id: string; node: string }[];
  managers: number;
  reachableManagers: number;
  unreachableManagers: string[];
  cacheNodes: number;
  appWorkers: number;
  totalNodes: number;
  /** Distinct zone label values over all nodes; empty when no node carries one. */
  zones: string[];
  /** Per tier: survives losing any one labelled zone; null when some member's zone is unknown. */
  dtrSurvivesZoneLoss: boolean | null;
  ucpSurvivesZoneLoss: boolean | null;
}

function zoneOf(labels: Readonly<Record<string, string>>): string | null {
  for (const label of ZONE_LABELS) {
    const value = labels[label]?.trim();
    if (value) return value;
  }
  return null;
}

function survives(zones: (string | null)[]): boolean | null {
  if (zones.length === 0 || zones.some((zone) => zone === null)) return null;
  const counts = new Map<string, number>();
  for (const zone of zones) if (zone !== null) counts.set(zone, (counts.get(zone) ?? 0) + 1);
  return survivesAnyZoneLoss([...counts.values()]);
}

export function summarizeLive(live: LiveClusterInput): LiveSummary {
  const byHost = new Map(live.ucp.nodes.map((node) => [node.hostname, node]));
  const replicas = live.dtr.replicas;
  const managerNodes = live.ucp.nodes.filter((node) => node.role === 'manager');
  const zones = [
    ...new Set(live.ucp.nodes.map((node) => zoneOf(node.labels)).filter((z) => z !== null)),
  ].sort();
  return {
    mode: live.mode,
    replicas: replicas.length,
    // Up by the cluster's word counts: a replica the console cannot reach is not broken.
    healthyReplicas: replicas.filter(
      (r) => r.status === 'healthy' || r.status === 'unreachable-from-console',
    ).length,
    unhealthyReplicas: replicas
      .filter((r) => r.status === 'unhealthy' || r.status === 'unreachable' || r.status === 'ghost')
      .map(({ id, node, status }) => ({ id, node, status })),
    unknownReplicas: replicas
      .filter((r) => r.status === 'unknown')
      .map(({ id, node }) => ({ id, node })),
    dtrQuorum: live.dtr.quorum?.status ?? null,
    ucpQuorum: live.ucp.managers.status ?? null,
    replicasOnManagers: replicas
      .filter((r) => byHost.get(r.node)?.role === 'manager')
      .map(({ id, node }) => ({ id, node })),
    managers: live.ucp.managers.total,
    reachableManagers: live.ucp.managers.reachable,
    // Raft's word: down only when it counts the manager out (unknown is not down).
    unreachableManagers: managerNodes
      .filter((node) =>
        node.manager?.quorumVote !== undefined
          ? node.manager.quorumVote === 'down'
          : node.manager !== null &&
            node.manager !== undefined &&
            node.manager.reachability !== 'reachable',
      )
      .map((node) => node.hostname),
    cacheNodes: live.ucp.nodes.filter((node) => node.hosts.includes('dtr-cache')).length,
    appWorkers: live.ucp.nodes.filter((node) => node.role === 'worker' && node.hosts.length === 0)
      .length,
    totalNodes: live.ucp.nodes.length,
    zones,
    dtrSurvivesZoneLoss: survives(
      replicas.map((r) => {
        const node = byHost.get(r.node);
        return node ? zoneOf(node.labels) : null;
      }),
    ),
    ucpSurvivesZoneLoss: survives(managerNodes.map((node) => zoneOf(node.labels))),
  };
}
