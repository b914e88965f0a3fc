// What the monitor asks of the cluster's control plane, whether UCP or a plain Swarm manager.
import type { ClusterNode, ProbeResult } from '@/lib/domain/types';

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
  /** Tag of the running dtr-registry containers, or null when none is visible. */
  dtrVersion(): Promise<string | null>;
  /**
   * The managers the daemon knows without a Raft leader (identity and address, reachability
   * unknown), for when /nodes fails before any list was read. Only where there are no pings.
   */
  knownManagers?(): Promise<ClusterNode[]>;
}
