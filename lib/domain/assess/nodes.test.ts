import { describe, expect, it } from 'vitest';
import { warningsFor } from '@/test/support/assess';
import { testReplicaId } from '@/test/support/snapshot';

describe('NODE_DOWN', () => {
  it('fires for a node that hosts a replica, a manager or a cache, naming what it hosts', () => {
    const warnings = warningsFor('NODE_DOWN', {
      nodes: {
        'dtr-2': { state: 'down', message: 'heartbeat failure' },
        'cache-1': { state: 'unknown' },
      },
    });
    expect(warnings.map((w) => [w.subjects[0], w.severity])).toEqual([
      ['dtr-2', 'warning'],
      ['cache-1', 'warning'],
    ]);
    expect(warnings[0]?.detail).toBe(
      `It hosts DTR replica ${testReplicaId(1)}, which is out of service while the node is down (heartbeat failure).`,
    );
    expect(warnings[0]?.nextStep).toMatch(/remove it, then join a new one/);
  });

  it('ignores nodes that host nothing HA-relevant', () => {
    expect(warningsFor('NODE_DOWN', { nodes: { 'worker-1': { state: 'down' } } })).toEqual([]);
  });

  it('is critical when the node is one of the members of a lost quorum, and then never says remove', () => {
    const [w] = warningsFor('NODE_DOWN', {
      replicas: ['healthy', 'unreachable', 'unreachable'],
      nodes: { 'dtr-2': { state: 'down' } },
    });
    expect(w?.severity).toBe('critical');
    expect(w?.detail).toMatch(/DTR quorum is lost/);
    expect(w?.nextStep).toMatch(/emergency-repair/);
    expect(w?.nextStep).not.toMatch(/remove it/);
    const [manager] = warningsFor('NODE_DOWN', {
      managers: ['healthy', 'unreachable', 'unreachable'],
    });
    expect(manager).toMatchObject({ severity: 'critical', subjects: ['mgr-2'] });
  });
});
