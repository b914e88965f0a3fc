// What the running cluster looks like in the plan's terms, read from GET /api/status.
import type { HostedRole, MemberStatus, NodeRole, Reachability } from '../types';
import { survivesAnyZoneLoss } from './zones';

/** The fields of GET /api/status the comparison reads (ClusterStatus satisfies it). */
export interface LiveClusterInput {
  mode: 'demo' | 'live';
  dtr: { replicas: readonly { id: string; node: string; status: MemberStatus }[] };
  ucp: {
    managers: { total: number; reachable: number };
    nodes: readonly {
      hostname: string;
      role: NodeRole;
      labels: Readonly<Record<string, string>>;
      hosts: readonly HostedRole[];
      manager?: { reachability: Reachability } | null;
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
  unhealthyReplicas: { id: string; node: string; status: MemberStatus }[];
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
    healthyReplicas: replicas.filter((r) => r.status === 'healthy').length,
    unhealthyReplicas: replicas
      .filter((r) => r.status !== 'healthy')
      .map(({ id, node, status }) => ({ id, node, status })),
    replicasOnManagers: replicas
      .filter((r) => byHost.get(r.node)?.role === 'manager')
      .map(({ id, node }) => ({ id, node })),
    managers: live.ucp.managers.total,
    reachableManagers: live.ucp.managers.reachable,
    unreachableManagers: managerNodes
      .filter((node) => node.manager && node.manager.reachability !== 'reachable')
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
