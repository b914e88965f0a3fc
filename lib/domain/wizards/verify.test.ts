import { describe, expect, it } from 'vitest';
import { buildSnapshot, MINUTE, SECOND, TEST_NOW } from '@/test/support/snapshot';
import { R1, R2, R3 } from '@/test/support/wizards';
import { verifyJoin, verifyRemove, verifyRepair } from './verify';

const now = Date.parse(TEST_NOW);
const since = (msAgo: number) => new Date(now - msAgo).toISOString();

describe('verifyRemove', () => {
  it('waits while the replica is still listed', () => {
    const v = verifyRemove(
      buildSnapshot({ replicas: ['healthy', 'healthy', 'unreachable'] }),
      { replicaIds: [R3], verifyingSince: since(10 * SECOND) },
      now,
    );
    expect(v.state).toBe('waiting');
    expect(v.message).toBe(`Waiting until: Replica ${R3} left the replica list.`);
    expect(v.checks.map((c) => c.done)).toEqual([false, true]);
  });

  it('is done once the replica is gone and the rest are healthy', () => {
    const v = verifyRemove(
      buildSnapshot({ replicas: ['healthy', 'healthy'] }),
      { replicaIds: [R3], verifyingSince: since(10 * SECOND) },
      now,
    );
    expect(v.state).toBe('done');
    expect(v.message).toMatch(
      /remaining 2 replicas are healthy.*2 replicas, 2 healthy, and survives 0 failures/,
    );
  });

  it('waits while a remaining replica is unhealthy, and fails with next steps after the timeout', () => {
    const status = buildSnapshot({ replicas: ['healthy', 'unhealthy'] });
    const run = { replicaIds: [R3], verifyingSince: since(6 * MINUTE) };
    expect(verifyRemove(status, { ...run, verifyingSince: since(MINUTE) }, now).state).toBe(
      'waiting',
    );
    const failed = verifyRemove(status, run, now);
    expect(failed.state).toBe('failed');
    expect(failed.message).toMatch(
      /^After 6 minutes: not every remaining replica is healthy \(1 of 2\)/,
    );
    expect(failed.nextSteps.join(' ')).toMatch(/Do not use `destroy`/);
  });

  it('never reports done from an old snapshot, and says how old it is', () => {
    const v = verifyRemove(
      buildSnapshot({ replicas: ['healthy', 'healthy'] }),
      { replicaIds: [R3], verifyingSince: since(SECOND) },
      now + 30 * SECOND,
    );
    expect(v.state).toBe('waiting');
    expect(v.message).toMatch(/current reading of the cluster \(the last one is 30 seconds old\)/);
  });

  it('never reports done from a stale DTR view', () => {
    const v = verifyRemove(
      buildSnapshot({ replicas: ['healthy', 'healthy'], sources: { dtr: { state: 'stale' } } }),
      { replicaIds: [R3], verifyingSince: since(SECOND) },
      now,
    );
    expect(v.state).toBe('waiting');
    expect(v.message).toMatch(/reads DTR/);
  });
});

describe('verifyJoin', () => {
  const withNew = (status: 'healthy' | 'unhealthy') =>
    buildSnapshot({
      replicas: ['healthy', 'healthy', { id: 'abcdefabcdef', node: 'worker-1', status }],
    });

  it('waits for a replica on the node, then for it to be healthy, then is done', () => {
    const run = { node: 'worker-1', replicaId: null, verifyingSince: since(SECOND) };
    const none = verifyJoin(buildSnapshot({ replicas: ['healthy', 'healthy'] }), run, now);
    expect(none.state).toBe('waiting');
    expect(none.message).toMatch(/A replica on worker-1 appears in the replica list/);
    expect(verifyJoin(withNew('unhealthy'), run, now).message).toMatch(
      /Replica abcdefabcdef on worker-1 reports healthy/,
    );
    const done = verifyJoin(withNew('healthy'), run, now);
    expect(done.state).toBe('done');
    expect(done.message).toMatch(
      /has joined and is healthy\. DTR has 3 replicas, 3 healthy, and survives 1 failure/,
    );
  });

  it('times out with a message naming what never happened', () => {
    const failed = verifyJoin(
      buildSnapshot({ replicas: ['healthy', 'healthy'] }),
      { node: 'worker-1', replicaId: null, verifyingSince: since(5 * MINUTE + SECOND) },
      now,
    );
    expect(failed.state).toBe('failed');
    expect(failed.message).toMatch(/no replica on worker-1 has appeared/);
    expect(failed.nextSteps.join(' ')).toMatch(/remove it with the remove wizard/);
  });
});

describe('verifyRepair', () => {
  it('is done when the kept replica is the only one and healthy', () => {
    const v = verifyRepair(
      buildSnapshot({ replicas: [{ id: R2, status: 'healthy' }] }),
      { keepReplicaId: R2, verifyingSince: since(SECOND) },
      now,
    );
    expect(v.state).toBe('done');
    expect(v.message).toMatch(/join new replicas now/);
  });

  it('waits while the others are still listed', () => {
    const v = verifyRepair(
      buildSnapshot({ replicas: ['unhealthy', 'unhealthy', 'unreachable'] }),
      { keepReplicaId: R2, verifyingSince: since(SECOND) },
      now,
    );
    expect(v.state).toBe('waiting');
    expect(v.message).toMatch(/only replica in the list \(3 replicas now\)/);
  });

  it('fails at once when the kept replica has vanished, and names the fallbacks', () => {
    const v = verifyRepair(
      buildSnapshot({ replicas: [{ id: R1, status: 'healthy' }] }),
      { keepReplicaId: R2, fallbacks: [R1, R3], verifyingSince: since(SECOND) },
      now,
    );
    expect(v.state).toBe('failed');
    expect(v.nextSteps.join(' ')).toContain(`${R1} and ${R3}`);
    expect(v.nextSteps.join(' ')).toMatch(/restore DTR from backup/);
  });
});
