import { describe, expect, it } from 'vitest';
import { clusterHealthOf, judgeReplica } from './replica-status';
import type { DtrClusterView, MemberStatus, TrackedProbe } from './types';

function ping(status: MemberStatus, error: string | null = null): TrackedProbe {
  return {
    status,
    error,
    latencyMs: 3,
    checkedAt: '2026-11-22T00:00:02Z',
    since: '2026-11-22T00:00:00Z',
  };
}

describe('judgeReplica', () => {
  it('is healthy when /_ping is healthy and a fresh view agrees or says nothing', () => {
    expect(judgeReplica(ping('healthy'), 'OK', true)).toEqual({ status: 'healthy', error: null });
    expect(judgeReplica(ping('healthy'), null, true)).toEqual({ status: 'healthy', error: null });
  });

  it('is unhealthy when /_ping is healthy but a fresh view reports the replica failing', () => {
    expect(
      judgeReplica(ping('healthy'), 'cut off from the cluster: no heartbeat from 2 replicas', true),
    ).toEqual({
      status: 'unhealthy',
      error: 'cut off from the cluster: no heartbeat from 2 replicas',
    });
  });

  it('ignores a stale view', () => {
    expect(judgeReplica(ping('healthy'), 'replica reported health too long ago', false)).toEqual({
      status: 'healthy',
      error: null,
    });
  });

  it("keeps the replica's own failure, whatever the view says", () => {
    expect(
      judgeReplica(ping('unreachable', 'connection refused by 10.0.1.13:443'), 'OK', true),
    ).toEqual({
      status: 'unreachable',
      error: 'connection refused by 10.0.1.13:443',
    });
    expect(judgeReplica(ping('unhealthy', 'rethinkdb: no quorum'), 'OK', true)).toEqual({
      status: 'unhealthy',
      error: 'rethinkdb: no quorum',
    });
    expect(judgeReplica(ping('unknown', 'TLS: ...'), null, false).status).toBe('unknown');
  });
});

describe('clusterHealthOf', () => {
  const view: DtrClusterView = {
    reportedBy: null,
    replicaHealth: {
      a1640e1c15b6: 'OK',
      '5eb9459a7832': 'OK',
      '000000000003': 'replica reported health too long ago',
    },
    replicaTimestamp: {},
    replicaReadonly: {},
    tablesReadyForWrites: true,
    tablesNotWritable: [],
    replicasNotReady: ['000000000003', '5eb9459a7832'],
    currentIssues: [],
    gcLockHolder: null,
  };

  it('prefers a failing replica_health text', () => {
    expect(clusterHealthOf(view, '000000000003')).toBe('replica reported health too long ago');
  });

  it('reports a replica RethinkDB shows not ready though replica_health still says OK', () => {
    const cut =
      'cut off from the cluster: RethinkDB server dtr_rethinkdb_5eb9459a7832 is not ready';
    expect(clusterHealthOf(view, '5eb9459a7832')).toBe(cut);
    expect(clusterHealthOf({ ...view, replicaHealth: null }, '5eb9459a7832')).toBe(cut);
  });

  it('ignores readiness in a view from a side that cannot write (a cut-off replica sees everyone gone)', () => {
    const minority = { ...view, tablesReadyForWrites: false };
    expect(clusterHealthOf(minority, '5eb9459a7832')).toBe('OK');
    expect(clusterHealthOf({ ...minority, replicaHealth: null }, '5eb9459a7832')).toBeNull();
  });

  it('otherwise passes "OK" on, or says nothing', () => {
    expect(clusterHealthOf(view, 'a1640e1c15b6')).toBe('OK');
    expect(clusterHealthOf(view, 'ffffffffffff')).toBeNull();
    expect(clusterHealthOf(null, 'a1640e1c15b6')).toBeNull();
  });
});
