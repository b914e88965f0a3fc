import { describe, expect, it } from 'vitest';
import { warningsFor } from '@/test/support/assess';
import { ago, MINUTE, SECOND, testReplicaId } from '@/test/support/snapshot';

const R1 = testReplicaId(0);
const R3 = testReplicaId(2);

describe('DTR_REPLICA_STALE_REPORT', () => {
  it('fires for a replica that answers /_ping but stopped reporting', () => {
    const [w] = warningsFor('DTR_REPLICA_STALE_REPORT', {
      replicas: ['healthy', 'healthy', { lastReport: ago(12 * MINUTE) }],
    });
    expect(w).toMatchObject({
      severity: 'warning',
      subjects: [R3, 'dtr-3'],
      href: '/nodes?node=dtr-3',
    });
    expect(w?.detail).toMatch(/12 minutes old/);
    expect(w?.detail).toMatch(/still answers \/_ping/);
  });

  it('respects staleReportMs (default 5 minutes)', () => {
    const spec = { replicas: [{ lastReport: ago(3 * MINUTE) }] };
    expect(warningsFor('DTR_REPLICA_STALE_REPORT', spec)).toEqual([]);
    expect(
      warningsFor('DTR_REPLICA_STALE_REPORT', spec, { staleReportMs: 2 * MINUTE }),
    ).toHaveLength(1);
  });

  it('stays quiet for failed replicas (DTR_REPLICA_UNHEALTHY covers them) and unknown timestamps', () => {
    expect(
      warningsFor('DTR_REPLICA_STALE_REPORT', {
        replicas: ['healthy', 'healthy', { status: 'unreachable', lastReport: ago(60 * MINUTE) }],
      }),
    ).toEqual([]);
    expect(warningsFor('DTR_REPLICA_STALE_REPORT', { replicas: [{ lastReport: null }] })).toEqual(
      [],
    );
  });

  it('judges age at the time the cluster view was read, not now, when DTR is stale', () => {
    const spec = {
      replicas: [{ lastReport: ago(10 * MINUTE + 20 * SECOND) }],
      sources: { dtr: { state: 'stale' as const, lastSuccessAt: ago(10 * MINUTE) } },
    };
    expect(warningsFor('DTR_REPLICA_STALE_REPORT', spec)).toEqual([]);
  });
});

describe('DTR_PING_DISAGREES', () => {
  it('flags a replica whose /_ping is healthy while the cluster reports an error (partition)', () => {
    const [w] = warningsFor('DTR_PING_DISAGREES', {
      replicas: ['healthy', 'healthy', { clusterHealth: 'rethinkdb: disconnected' }],
    });
    expect(w?.title).toMatch(/answers \/_ping but the cluster reports it unhealthy/);
    expect(w?.detail).toContain('"rethinkdb: disconnected"');
    expect(w?.detail).toContain(`as seen by replica ${R1}`);
    expect(w?.nextStep).toMatch(/out of the load balancer/);
  });

  it('flags a replica the console cannot reach while the cluster reports it OK', () => {
    const [w] = warningsFor('DTR_PING_DISAGREES', {
      replicas: ['healthy', 'healthy', 'unreachable-from-console'],
    });
    expect(w?.title).toMatch(/cannot reach DTR replica \w+, which the cluster reports OK/);
    expect(w?.detail).toMatch(/gets no answer \(connect ECONNREFUSED\)/);
    expect(w?.detail).toMatch(/count it in the majority/);
    expect(w?.detail).toMatch(/DTR_PROBE_SCHEME/);
  });

  it('is quiet for a just-stopped replica whose RethinkDB server the view already shows not ready', () => {
    // replica_health lags about a minute behind a stop; table_status does not.
    expect(
      warningsFor('DTR_PING_DISAGREES', {
        replicas: ['healthy', 'healthy', { status: 'unreachable', clusterHealth: 'OK' }],
      }),
    ).toEqual([]);
  });

  it('is quiet once quorum is lost: every /_ping fails then and no view is authoritative', () => {
    expect(
      warningsFor('DTR_PING_DISAGREES', {
        replicas: [
          { status: 'unhealthy', clusterHealth: 'OK' },
          { status: 'unreachable', clusterHealth: 'OK' },
          { status: 'unreachable', clusterHealth: 'OK' },
        ],
        clusterView: { replicasNotReady: [] },
      }),
    ).toEqual([]);
  });

  it('is quiet when both agree, when there is no cluster view, or when the view is stale', () => {
    expect(
      warningsFor('DTR_PING_DISAGREES', { replicas: ['healthy', 'unhealthy', 'unreachable'] }),
    ).toEqual([]);
    expect(
      warningsFor('DTR_PING_DISAGREES', {
        replicas: ['healthy', { clusterHealth: 'down' }],
        clusterView: null,
      }),
    ).toEqual([]);
    expect(
      warningsFor('DTR_PING_DISAGREES', {
        replicas: ['healthy', { clusterHealth: 'down' }],
        sources: { dtr: { state: 'stale', lastSuccessAt: ago(MINUTE) } },
      }),
    ).toEqual([]);
  });
});

describe('DTR_REPLICA_ON_MANAGER', () => {
  it('fires for a replica on a manager node', () => {
    const [w] = warningsFor('DTR_REPLICA_ON_MANAGER', {
      replicas: ['healthy', 'healthy', { node: 'mgr-2' }],
    });
    expect(w).toMatchObject({ severity: 'warning', subjects: [R3, 'mgr-2'] });
    expect(w?.detail).toMatch(/must run on UCP worker nodes/);
  });

  it('is quiet for replicas on workers', () => {
    expect(warningsFor('DTR_REPLICA_ON_MANAGER')).toEqual([]);
  });
});

describe('DTR_TABLES_NOT_WRITABLE', () => {
  it('names the tables and the replicas that are not ready', () => {
    const [w] = warningsFor('DTR_TABLES_NOT_WRITABLE', {
      clusterView: {
        tablesReadyForWrites: false,
        tablesNotWritable: ['dtr2.tags', 'dtr2.manifests'],
        replicasNotReady: [R3],
        currentIssues: [
          { critical: true, description: 'Table dtr2.tags is not available for writes' },
        ],
      },
    });
    expect(w).toMatchObject({ severity: 'critical', subjects: [R3] });
    expect(w?.detail).toContain('2 tables cannot take writes: dtr2.tags and dtr2.manifests.');
    expect(w?.detail).toContain('RethinkDB reports: Table dtr2.tags is not available for writes');
  });

  it('is quiet when tables are writable or their status is unknown', () => {
    expect(warningsFor('DTR_TABLES_NOT_WRITABLE')).toEqual([]);
    expect(
      warningsFor('DTR_TABLES_NOT_WRITABLE', { clusterView: { tablesReadyForWrites: null } }),
    ).toEqual([]);
    expect(warningsFor('DTR_TABLES_NOT_WRITABLE', { clusterView: null })).toEqual([]);
  });
});
