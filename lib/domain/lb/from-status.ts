// The load balancer's view of the live cluster: each DTR replica with the address to reach it at.
import { replicaAddress } from '../placement';
import type { ClusterStatus } from '../types';
import { isPort, REPLICA_ID } from '../commands';
import type { LbReplicaInput } from './replicas';

/**
 * Replicas as the generators take them. The address is the one the console probed, else the
 * node's address from UCP, else the node's host name — never the load balancer's own. Unhealthy
 * and unreachable replicas stay in (the load balancer's checks decide) but are marked; an
 * unknown state is left unmarked; a ghost (its node gone from the swarm) is left out, with why.
 */
export function lbReplicasFromStatus(status: Pick<ClusterStatus, 'dtr' | 'ucp'>): LbReplicaInput[] {
  return status.dtr.replicas.map((replica): LbReplicaInput => {
    const input: LbReplicaInput = {
      id: replica.id,
      address: replica.address ?? replicaAddress(replica, status.ucp.nodes) ?? replica.node,
      httpPort: replica.httpPort,
      httpsPort: replica.httpsPort,
      healthy:
        replica.status === 'unknown' || replica.status === 'unreachable-from-console'
          ? undefined
          : replica.status === 'healthy',
    };
    if (replica.status === 'ghost') return { ...input, excluded: 'ghost' };
    // A replica whose ID or port the console refused is left out with why, not the whole file.
    // (An address the generators refuse still fails the request with 422, as before.)
    const usable =
      REPLICA_ID.test(replica.id) && isPort(replica.httpPort) && isPort(replica.httpsPort);
    return usable ? input : { ...input, excluded: 'invalid' };
  });
}
