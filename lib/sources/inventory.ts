// What the monitor asks of the cluster's control plane, whether UCP or a plain Swarm manager.
import type { ClusterNode, DtrReplicaRuntime, ProbeResult } from '@/lib/domain/types';

export interface ClusterInventory {
  /** `ucp`: UCP / MKE's API. `engine`: a Swarm manager's Docker Engine API (DOCKER_HOST). */
  readonly kind: 'ucp' | 'engine';
  /** GET /nodes, reshaped. `hosts` is left empty: placement fills it. */
  listNodes(): Promise<ClusterNode[]>;
  /**
   * GET /_ping on one manager's own address. null where a ping says nothing about quorum: a
   * plain Engine answers 200 with or without a Raft leader, so /nodes is the only witness there.
   */
  readonly pingManager: ((host: string) => Promise<ProbeResult>) | null;
  /**
   * The DTR replicas' `dtr-*` containers (`/containers/json?all=1`), by replica: which are
   * stopped, and the image of each `dtr-registry` (its version). null where the API does not
   * list containers. A plain Swarm manager lists only its own.
   */
  dtrRuntimes(): Promise<DtrReplicaRuntime[] | null>;
  /**
   * The managers the daemon knows without a Raft leader (identity and address, reachability
   * unknown), for when /nodes fails before any list was read. Only where there are no pings.
   */
  knownManagers?(): Promise<ClusterNode[]>;
}
