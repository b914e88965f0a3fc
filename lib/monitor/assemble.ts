// Turning probes and inventories into the snapshot's replica states and manager summary.
import { assessQuorum } from '@/lib/domain/quorum';
import { clusterHealthOf, judgeReplica } from '@/lib/domain/replica-status';
import type {
  ClusterNode,
  DtrClusterView,
  DtrReplicaConfig,
  ManagerSummary,
  MemberStatus,
  ReplicaState,
  TrackedProbe,
} from '@/lib/domain/types';

/**
 * One replica's state: its confirmed /_ping joined with the cluster view. `since` moves only
 * when the judged status changes, whichever of the two changed it.
 */
export function replicaState(
  r: DtrReplicaConfig,
  address: string | null,
  ping: TrackedProbe,
  view: { data: DtrClusterView | null; fresh: boolean },
  previous: { status: MemberStatus; since: string } | undefined,
  at: string,
): ReplicaState {
  const clusterHealth = clusterHealthOf(view.data, r.id);
  const verdict = judgeReplica(ping, clusterHealth, view.fresh);
  let since: string;
  if (!previous) since = verdict.status === ping.status ? ping.since : at;
  else if (previous.status === verdict.status) since = previous.since;
  else since = ping.since > at ? ping.since : at;
  return {
    id: r.id,
    node: r.node,
    status: verdict.status,
    error: verdict.error,
    latencyMs: ping.latencyMs,
    since,
    checkedAt: ping.checkedAt,
    httpPort: r.httpPort,
    httpsPort: r.httpsPort,
    address,
    ping,
    clusterHealth,
    lastReport: view.data?.replicaTimestamp[r.id] ?? null,
    readonly: view.data?.replicaReadonly[r.id] ?? null,
  };
}

/**
 * A manager from an old node list once its source stopped answering, where Raft (via /nodes) was
 * the only witness: no longer known reachable or leading. Known-unreachable stays unreachable.
 */
export function withoutRaftWord(node: ClusterNode): ClusterNode {
  if (!node.manager) return node;
  const reachability = node.manager.reachability === 'unreachable' ? 'unreachable' : 'unknown';
  return { ...node, manager: { ...node.manager, leader: false, reachability } };
}

/**
 * Managers counted reachable: Raft says reachable and their own /_ping (when probed) is healthy.
 * With a stale node list Raft's word is old, so only the pings count; where there are none (a
 * plain Swarm), no manager counts, and the quorum reads lost rather than stale-healthy.
 */
export function managerSummary(nodes: ClusterNode[], nodesFresh: boolean): ManagerSummary {
  const managers = nodes.filter((n) => n.role === 'manager');
  const reachable = managers.filter((m) => {
    const ping = m.manager?.ping ?? null;
    if (!nodesFresh) return ping?.status === 'healthy';
    return m.manager?.reachability === 'reachable' && (ping === null || ping.status === 'healthy');
  }).length;
  const q = assessQuorum(managers.length, reachable);
  return {
    total: q.members,
    reachable,
    leader: managers.find((m) => m.manager?.leader)?.hostname ?? null,
    majority: q.majority,
    failuresTolerated: q.failuresTolerated,
    margin: q.margin,
    status: q.status,
  };
}

/**
 * The node a cache host (as registered in DTR) runs on: its hostname, a subdomain-qualified
 * form of it (`cache-1.example.com` on node `cache-1`), or the node's address.
 */
export function cacheNode(url: string, nodes: ClusterNode[]): string | null {
  let host: string;
  try {
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `https://${url}`;
    host = new URL(withScheme).hostname.toLowerCase().replace(/^\[|\]$/g, '');
  } catch {
    return null;
  }
  const match =
    nodes.find((n) => n.hostname.toLowerCase() === host) ??
    nodes.find((n) => n.addr !== null && n.addr.toLowerCase() === host) ??
    nodes.find((n) => host.startsWith(`${n.hostname.toLowerCase()}.`));
  return match?.hostname ?? null;
}
