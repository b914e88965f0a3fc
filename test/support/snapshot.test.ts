import { describe, expect, it } from 'vitest';
import { ago, buildSnapshot, HOUR, TEST_NOW, testReplicaId } from '@/test/support/snapshot';

describe('buildSnapshot', () => {
  it('defaults to a healthy 3-replica, 3-manager, 2-cache, 4-worker cluster', () => {
    const snapshot = buildSnapshot();
    expect(snapshot.generatedAt).toBe(TEST_NOW);
    expect(snapshot.dtr.quorum).toMatchObject({
      replicas: 3,
      healthy: 3,
      majority: 2,
      failuresTolerated: 1,
      margin: 1,
      status: 'healthy',
      unknown: 0,
    });
    expect(snapshot.ucp.managers).toMatchObject({
      total: 3,
      reachable: 3,
      leader: 'mgr-1',
      status: 'healthy',
    });
    expect(snapshot.ucp.nodes.map((n) => n.hostname)).toEqual([
      'mgr-1',
      'mgr-2',
      'mgr-3',
      'dtr-1',
      'dtr-2',
      'dtr-3',
      'cache-1',
      'cache-2',
      'worker-1',
      'worker-2',
      'worker-3',
      'worker-4',
    ]);
    expect(snapshot.ucp.nodes.find((n) => n.hostname === 'cache-1')).toMatchObject({
      hosts: ['dtr-cache'],
      labels: { 'dtr.cache': 'true' },
    });
    expect(snapshot.dtr.replicas.map((r) => r.id)).toEqual([0, 1, 2].map(testReplicaId));
    expect(snapshot.dtr.replicas.every((r) => /^[0-9a-f]{12}$/.test(r.id))).toBe(true);
    expect(snapshot.dtr.clusterView?.replicaHealth).toEqual(
      Object.fromEntries([0, 1, 2].map((i) => [testReplicaId(i), 'OK'])),
    );
    expect(new Set(snapshot.ucp.nodes.map((n) => n.addr)).size).toBe(12);
  });

  it('derives quorum, cluster view and node roles from the members asked for', () => {
    const snapshot = buildSnapshot({
      replicas: ['healthy', { status: 'unreachable', node: 'mgr-1' }, 'unhealthy'],
      managers: ['healthy', 'unreachable', 'healthy'],
    });
    expect(snapshot.dtr.quorum).toMatchObject({
      healthy: 1,
      majority: 2,
      margin: -1,
      status: 'lost',
    });
    expect(snapshot.ucp.managers).toMatchObject({
      total: 3,
      reachable: 2,
      margin: 0,
      status: 'at-risk',
    });
    expect(snapshot.ucp.nodes.find((n) => n.hostname === 'mgr-1')?.hosts).toEqual([
      'ucp-manager',
      'dtr-replica',
    ]);
    expect(snapshot.ucp.nodes.some((n) => n.hostname === 'dtr-2')).toBe(false);
    expect(snapshot.ucp.nodes.find((n) => n.hostname === 'mgr-2')).toMatchObject({
      state: 'down',
      manager: { reachability: 'unreachable' },
    });
    expect(snapshot.dtr.clusterView?.replicasNotReady).toEqual([
      testReplicaId(1),
      testReplicaId(2),
    ]);
    expect(snapshot.dtr.replicas[1]?.ping?.status).toBe('unreachable');
  });

  it('applies zones, node overrides, sources and cluster-view overrides', () => {
    const snapshot = buildSnapshot({
      zones: { 'dtr-1': 'a' },
      nodes: { 'dtr-1': { state: 'down', labels: { rack: '7' } } },
      sources: { dtr: { state: 'stale', lastSuccessAt: ago(HOUR) } },
      clusterView: { tablesReadyForWrites: false },
    });
    expect(snapshot.ucp.nodes.find((n) => n.hostname === 'dtr-1')).toMatchObject({
      state: 'down',
      labels: { zone: 'a', rack: '7' },
    });
    expect(snapshot.sources.dtr).toMatchObject({
      state: 'stale',
      lastSuccessAt: ago(HOUR),
      lastError: null,
    });
    expect(snapshot.dtr.clusterView?.tablesReadyForWrites).toBe(false);
    expect(buildSnapshot({ clusterView: null }).dtr.clusterView).toBeNull();
  });

  it('builds a Swarm-only snapshot: no DTR, its source not configured', () => {
    const snapshot = buildSnapshot({ dtrConfigured: false, via: 'engine' });
    expect(snapshot.dtr).toMatchObject({ version: null, replicas: [], clusterView: null });
    expect(snapshot.sources.dtr).toEqual({
      state: 'ok',
      lastSuccessAt: null,
      lastError: null,
      checkedAt: null,
      configured: false,
    });
    expect(snapshot.sources.ucp.configured).toBe(true);
    expect(snapshot.ucp.via).toBe('engine');
    expect(snapshot.ucp.managers.status).toBe('healthy');
  });
});
