import { describe, expect, it } from 'vitest';
import { buildSnapshot, testReplicaId, type SnapshotSpec } from '@/test/support/snapshot';
import { compareWithLive } from './compare';
import { DEFAULT_SIZING_INPUT, type SizingInput } from './input';
import { summarizeLive } from './live';
import { buildSizingPlan } from './plan';

// The demo's shape: 3 managers, 3 replicas, 2 caches in one region, 4 workers, zones a/b/c.
const DEMO_PLAN: SizingInput = { ...DEFAULT_SIZING_INPUT, cacheRegions: 1, cachesPerRegion: 2 };
const ZONES: Record<string, string> = {
  'mgr-1': 'a',
  'mgr-2': 'b',
  'mgr-3': 'c',
  'dtr-1': 'a',
  'dtr-2': 'b',
  'dtr-3': 'c',
  'cache-1': 'a',
  'cache-2': 'b',
  'worker-1': 'a',
  'worker-2': 'b',
  'worker-3': 'c',
  'worker-4': 'a',
};

function compare(spec: SnapshotSpec, over: Partial<SizingInput> = {}) {
  const live = summarizeLive(buildSnapshot({ zones: ZONES, ...spec }));
  return compareWithLive(buildSizingPlan({ ...DEMO_PLAN, ...over }), live);
}

describe('reading the live cluster', () => {
  it('counts replicas, managers, caches, application workers, nodes and zones', () => {
    const live = summarizeLive(
      buildSnapshot({ zones: ZONES, replicas: ['healthy', 'healthy', 'unreachable'] }),
    );
    expect(live).toMatchObject({
      replicas: 3,
      healthyReplicas: 2,
      unhealthyReplicas: [{ id: testReplicaId(2), node: 'dtr-3', status: 'unreachable' }],
      managers: 3,
      reachableManagers: 3,
      cacheNodes: 2,
      appWorkers: 4,
      totalNodes: 12,
      zones: ['a', 'b', 'c'],
      dtrSurvivesZoneLoss: true,
      ucpSurvivesZoneLoss: true,
    });
  });

  it('zone survival is unknown when a member has no zone label', () => {
    const live = summarizeLive(buildSnapshot());
    expect(live.zones).toEqual([]);
    expect(live.dtrSurvivesZoneLoss).toBeNull();
  });
});

describe('plan vs live', () => {
  it('a cluster built as planned matches, with no steps', () => {
    const result = compare({});
    expect(result.steps).toEqual([]);
    expect(result.matches).toBe(true);
    expect(result.rows.find((r) => r.key === 'dtr-replicas')).toMatchObject({
      planned: '3',
      running: '3',
      matches: true,
    });
  });

  it('after a replica is removed: its node is a spare worker; one join on it, back to 3', () => {
    // A removed replica leaves its node in UCP as a worker with nothing on it.
    const result = compare({ replicas: ['healthy', 'healthy'], workers: 5 });
    expect(result.rows.find((r) => r.key === 'app-workers')).toMatchObject({
      planned: '4',
      running: '5',
    });
    expect(result.matches).toBe(false);
    expect(result.rows.find((r) => r.key === 'dtr-replicas')).toMatchObject({
      planned: '3',
      running: '2',
      matches: false,
    });
    expect(result.rows.find((r) => r.key === 'dtr-tolerated')).toMatchObject({
      planned: '1',
      running: '0',
    });
    expect(result.steps).toEqual([
      expect.objectContaining({
        action: 'join',
        href: '/replicas/join',
        title: 'Join a replica on a worker (3 of 3)',
      }),
    ]);
    expect(result.steps[0]?.detail).toMatch(
      /one at a time.*wait until the new replica is healthy.*Then 3 replicas, surviving 1 failure/i,
    );
  });

  it('with no spare worker, a worker node is added before the join', () => {
    const result = compare({ replicas: ['healthy', 'healthy'] });
    expect(result.steps.map((s) => s.action)).toEqual(['add-nodes', 'join']);
    expect(result.steps[0]?.title).toBe('Add 1 worker node for DTR');
  });

  it('an unhealthy replica is removed before any join', () => {
    const broken = testReplicaId(2);
    const result = compare({ replicas: ['healthy', 'healthy', 'unreachable'] });
    expect(result.steps.map((s) => s.action)).toEqual(['remove', 'add-nodes', 'join']);
    expect(result.steps[0]).toMatchObject({ href: `/replicas/remove?replica=${broken}` });
    expect(result.steps[0]?.title).toContain(broken);
  });

  it('lost quorum: emergency repair first, then joins; the even waypoint says to keep going', () => {
    const result = compare({ replicas: ['healthy', 'unreachable', 'unreachable'] });
    expect(result.steps.map((s) => s.action)).toEqual(['repair', 'add-nodes', 'join', 'join']);
    expect(result.steps[0]?.href).toBe('/replicas/repair');
    expect(result.steps[2]?.detail).toMatch(/Then 2 replicas.*go on to the next step/);
    expect(result.steps[3]?.detail).not.toMatch(/go on to the next step/);
  });

  it('replicas the console cannot judge: no removal, no repair — find out first', () => {
    for (const replicas of [
      ['healthy', 'healthy', 'unknown'],
      ['healthy', 'unknown', 'unknown'],
    ] as const) {
      const result = compare({ replicas: [...replicas] });
      const dtr = result.steps.filter((s) => ['repair', 'remove', 'join'].includes(s.action));
      expect(dtr.map((s) => s.title)).toEqual([
        'First find out the state of the replicas the console cannot judge',
      ]);
      expect(dtr[0]?.detail).not.toMatch(/emergency|remove it/i);
    }
  });

  it('a replica the console cannot reach, vouched for by the cluster, is not removed', () => {
    const result = compare({ replicas: ['healthy', 'unreachable-from-console', 'healthy'] });
    expect(result.steps.filter((s) => s.action === 'remove' || s.action === 'repair')).toEqual([]);
  });

  it('growing 3 → 5 joins one at a time and does not rest at 4', () => {
    const result = compare({}, { dtr: { by: 'failures', failures: 2 } });
    const joins = result.steps.filter((s) => s.action === 'join');
    expect(joins.map((s) => s.title)).toEqual([
      'Join a replica on a worker (4 of 5)',
      'Join a replica on a worker (5 of 5)',
    ]);
    expect(joins[0]?.detail).toMatch(/4 tolerate no more failures than 3/);
  });

  it('shrinking 5 → 3 removes first, one at a time, and joins nothing', () => {
    const five = ['healthy', 'healthy', 'healthy', 'healthy', 'healthy'] as const;
    const result = compare({ replicas: [...five] });
    const dtrSteps = result.steps.filter((s) => s.action === 'remove' || s.action === 'join');
    expect(dtrSteps.map((s) => s.action)).toEqual(['remove', 'remove']);
    expect(dtrSteps[0]?.detail).toMatch(/Then 4 replicas/);
    expect(dtrSteps[1]?.detail).toMatch(/Then 3 replicas/);
  });

  it('a replica on a manager is replaced: join on a worker first, then remove it', () => {
    const result = compare({ replicas: [{ node: 'mgr-1' }, 'healthy', 'healthy'] });
    expect(result.rows.find((r) => r.key === 'dtr-on-managers')).toMatchObject({
      running: '1',
      matches: false,
    });
    expect(result.steps.map((s) => s.action)).toEqual(['add-nodes', 'join', 'remove']);
    expect(result.steps[2]?.title).toBe(`Remove replica ${testReplicaId(0)} on mgr-1`);
  });

  it('DTR on managers allowed by the plan: no move', () => {
    const result = compare(
      { replicas: [{ node: 'mgr-1' }, 'healthy', 'healthy'] },
      { dtrOnManagers: true },
    );
    expect(result.steps.filter((s) => s.action === 'join' || s.action === 'remove')).toEqual([]);
  });

  it('an unreachable manager is removed before a manager is added', () => {
    const result = compare({
      managers: ['healthy', 'healthy', { status: 'unreachable', hostname: 'mgr-c' }],
    });
    expect(result.steps.map((s) => s.action)).toEqual(['demote', 'promote']);
    expect(result.steps[0]?.title).toBe('Remove the unreachable manager mgr-c');
  });

  it('lost manager quorum is restored first', () => {
    const result = compare({ managers: ['healthy', 'unreachable', 'unreachable'] });
    expect(result.steps[0]).toMatchObject({
      action: 'repair',
      title: 'Restore the UCP manager quorum first',
    });
    expect(result.steps.filter((s) => s.action === 'promote')).toHaveLength(2);
  });

  it('managers the console cannot judge are not "lost": no force-new-cluster', () => {
    const result = compare({ managers: ['healthy', 'unknown', 'unknown'] });
    expect(result.steps[0]?.title).toBe(
      'First find out the state of the managers the console cannot judge',
    );
    expect(JSON.stringify(result.steps)).not.toMatch(/force-new-cluster/);
  });

  it('managers: demote down to the plan, one at a time', () => {
    const result = compare({ managers: ['healthy', 'healthy', 'healthy', 'healthy', 'healthy'] });
    expect(result.steps.filter((s) => s.action === 'demote')).toHaveLength(2);
  });

  it('caches and application workers: add or retire the difference', () => {
    const result = compare({}, { cacheRegions: 3, workers: 2 });
    // 2 spare application workers become cache nodes, 2 more nodes are added; nothing is retired
    expect(result.steps).toEqual([
      expect.objectContaining({ action: 'add-nodes', title: 'Add 2 worker nodes for caches' }),
      expect.objectContaining({ action: 'add-nodes', title: 'Set up 4 cache nodes' }),
    ]);
    const fewer = compare({}, { cacheRegions: 0, workers: 6 });
    expect(fewer.steps).toEqual([
      expect.objectContaining({ action: 'retire-nodes', title: 'Retire 2 cache nodes' }),
      expect.objectContaining({ action: 'add-nodes', title: 'Add 2 application workers' }),
    ]);
  });

  it('unlabelled nodes: ask for zone labels; badly spread members: rebalance', () => {
    const unlabelled = compareWithLive(buildSizingPlan(DEMO_PLAN), summarizeLive(buildSnapshot()));
    expect(unlabelled.steps.at(-1)?.title).toBe('Label every node with its failure zone');
    const crowded = compare({ zones: { ...ZONES, 'dtr-2': 'a' } });
    expect(crowded.steps.at(-1)?.title).toBe('Rebalance members over the zones');
    expect(crowded.steps.at(-1)?.detail).toMatch(/DTR quorum/);
  });
});
