// The load balancer's view of the live cluster: each DTR replica with the address to reach it at.
import { replicaAddress } from '../placement';
import type { ClusterStatus, ReplicaState } from '../types';
import type { LbReplicaInput } from './replicas';

/**
 * Replicas as the generators take them. The address is the one the console probed, else the
 * node's address from UCP, else the node's host name — never the load balancer's own. Unhealthy
 * and unreachable replicas stay in (the load balancer's checks decide) but are marked; an
 * unknown state is left unmarked; a ghost (its node gone from the swarm) is left out, with why.
 */
export function lbReplicasFromStatus(status: Pick<ClusterStatus, 'dtr' | 'ucp'>): LbReplicaInput[] {
  return status.dtr.replicas.map((replica) => ({
    id: replica.id,
    address: replica.address ?? replicaAddress(replica, status.ucp.nodes) ?? replica.node,
    httpPort: replica.httpPort,
    httpsPort: replica.httpsPort,
    healthy:
      replica.status === 'unknown' || replica.status === 'unreachable-from-console'
        ? undefined
        : replica.status === 'healthy',
    ...(replica.status === 'ghost' && { excluded: 'ghost' as const }),
    // A replica whose port or ID the console refused is left out, not the whole file.
    ...(replica.status !== 'ghost' && !usable(replica) && { excluded: 'invalid' as const }),
  }));
}

const isPort = (port: number) => Number.isInteger(port) && port >= 1 && port <= 65535;

/** DTR lists it with a 12-hex ID and real ports (a hostile upstream may not). */
function usable(replica: Pick<ReplicaState, 'id' | 'httpPort' | 'httpsPort'>): boolean {
  return /^[0-9a-f]{12}$/.test(replica.id) && isPort(replica.httpPort) && isPort(replica.httpsPort);
}
