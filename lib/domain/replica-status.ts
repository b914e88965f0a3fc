// A replica's verdict: its own /_ping, joined with what the cluster says of it.
import type { DtrClusterView, MemberStatus, TrackedProbe } from './types';

export interface ReplicaVerdict {
  status: MemberStatus;
  error: string | null;
}

function isOk(health: string): boolean {
  return health.trim().toUpperCase() === 'OK';
}

/**
 * A replica counts healthy only if its own /_ping is healthy and, when a fresh cluster view
 * exists, that view does not report it failing. A partitioned replica still answers /_ping
 * "healthy", so the view is what catches it; a stale view proves nothing and is ignored.
 */
export function judgeReplica(
  ping: TrackedProbe,
  clusterHealth: string | null,
  clusterViewFresh: boolean,
): ReplicaVerdict {
  if (ping.status !== 'healthy') return { status: ping.status, error: ping.error };
  if (clusterViewFresh && clusterHealth !== null && !isOk(clusterHealth)) {
    return {
      status: 'unhealthy',
      error: clusterHealth.trim() || 'reported failing by the cluster',
    };
  }
  return { status: 'healthy', error: null };
}

/**
 * What a cluster view says of one replica: a failing replica_health text when there is one;
 * else, if RethinkDB already shows the replica not ready, that (replica_health stays "OK" until
 * the replica's report goes stale, RethinkDB sees a cut at once); else its "OK", or null.
 * Readiness counts only in a view from the writable (majority) side: a replica cut off from
 * the others sees all of them "disconnected".
 */
export function clusterHealthOf(view: DtrClusterView | null, replicaId: string): string | null {
  if (!view) return null;
  const reported = view.replicaHealth?.[replicaId];
  if (reported !== undefined && !isOk(reported)) return reported;
  if (view.tablesReadyForWrites === true && view.replicasNotReady.includes(replicaId)) {
    return `cut off from the cluster: RethinkDB server dtr_rethinkdb_${replicaId} is not ready`;
  }
  return reported ?? null;
}
