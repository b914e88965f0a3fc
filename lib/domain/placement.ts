// Which HA roles each node hosts: UCP manager, DTR replica, DTR cache.
import type { ClusterNode, DtrReplicaConfig, HostedRole } from './types';

/** Label UCP admins put on nodes that run a DTR content cache. */
export const CACHE_LABEL = 'dtr.cache';

/** Nodes with `hosts` filled in from their role, the replicas placed on them and the cache label. */
export function annotateHosts(
  nodes: readonly ClusterNode[],
  replicas: readonly DtrReplicaConfig[],
): ClusterNode[] {
  const replicaNodes = new Set(replicas.map((r) => r.node));
  return nodes.map((node) => {
    const hosts: HostedRole[] = [];
    if (node.role === 'manager') hosts.push('ucp-manager');
    if (replicaNodes.has(node.hostname)) hosts.push('dtr-replica');
    if (node.labels[CACHE_LABEL]?.toLowerCase() === 'true') hosts.push('dtr-cache');
    return { ...node, hosts };
  });
}

/** Address to probe a replica at: the address of the node it runs on, when known. */
export function replicaAddress(
  replica: Pick<DtrReplicaConfig, 'node'>,
  nodes: readonly ClusterNode[],
): string | null {
  return nodes.find((n) => n.hostname === replica.node)?.addr ?? null;
}
