import { describe, expect, it } from 'vitest';
import { annotateHosts, replicaAddress } from './placement';
import type { ClusterNode, DtrReplicaConfig } from './types';

function node(
  hostname: string,
  role: ClusterNode['role'],
  addr: string | null,
  labels: Record<string, string> = {},
): ClusterNode {
  return {
    id: `id-${hostname}`,
    hostname,
    role,
    availability: 'active',
    state: 'ready',
    message: '',
    addr,
    labels,
    engineVersion: null,
    nanoCpus: null,
    memoryBytes: null,
    hosts: [],
    os: null,
    architecture: null,
    manager:
      role === 'manager'
        ? { leader: false, reachability: 'reachable', raftAddr: null, ping: null }
        : null,
  };
}

const replica = (id: string, onNode: string): DtrReplicaConfig => ({
  id,
  node: onNode,
  httpPort: 80,
  httpsPort: 443,
});

const nodes = [
  node('ucp-manager-1', 'manager', '10.0.0.11'),
  node('dtr-node-1', 'worker', '10.0.1.11'),
  node('cache-node-1', 'worker', '10.0.2.11', { 'dtr.cache': 'true' }),
  node('app-node-1', 'worker', null, { 'dtr.cache': 'false' }),
  node('odd-manager', 'manager', '10.0.0.12', { 'dtr.cache': 'TRUE' }),
];

describe('annotateHosts', () => {
  it('marks managers, replica nodes and cache nodes', () => {
    const annotated = annotateHosts(nodes, [
      replica('a1640e1c15b6', 'dtr-node-1'),
      replica('000000000003', 'odd-manager'),
    ]);
    expect(Object.fromEntries(annotated.map((n) => [n.hostname, n.hosts]))).toEqual({
      'ucp-manager-1': ['ucp-manager'],
      'dtr-node-1': ['dtr-replica'],
      'cache-node-1': ['dtr-cache'],
      'app-node-1': [],
      'odd-manager': ['ucp-manager', 'dtr-replica', 'dtr-cache'],
    });
  });

  it('does not modify its input and replaces stale annotations', () => {
    const stale = nodes.map((n) => ({ ...n, hosts: ['dtr-replica' as const] }));
    const annotated = annotateHosts(stale, []);
    expect(annotated.find((n) => n.hostname === 'dtr-node-1')?.hosts).toEqual([]);
    expect(stale[1]?.hosts).toEqual(['dtr-replica']);
  });
});

describe('replicaAddress', () => {
  it("is the address of the replica's node, or null when the node or its address is unknown", () => {
    expect(replicaAddress(replica('a', 'dtr-node-1'), nodes)).toBe('10.0.1.11');
    expect(replicaAddress(replica('b', 'app-node-1'), nodes)).toBeNull();
    expect(replicaAddress(replica('c', 'gone-node'), nodes)).toBeNull();
  });
});
