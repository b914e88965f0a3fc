import { describe, expect, it } from 'vitest';
import { buildSnapshot, type SnapshotSpec } from '@/test/support/snapshot';
import { compareWithLive } from './compare';
import { DEFAULT_SIZING_INPUT } from './input';
import { liveSizingStart, summarizeLive, type LiveStart } from './live';
import { buildSizingPlan } from './plan';

const ZONES = {
  'mgr-1': 'a',
  'mgr-2': 'b',
  'mgr-3': 'c',
  'dtr-1': 'a',
  'dtr-2': 'b',
  'dtr-3': 'c',
};

function start(spec: SnapshotSpec = {}): LiveStart {
  return liveSizingStart(buildSnapshot({ zones: ZONES, ...spec }));
}

function available(result: LiveStart) {
  if (!result.available) throw new Error(`expected a starting point, got: ${result.reason}`);
  return result;
}

describe('starting the plan from the running cluster', () => {
  it('takes its replicas, managers, caches, workers and zones', () => {
    const live = available(start({ workers: 6 }));
    expect(live.input).toEqual({
      ...DEFAULT_SIZING_INPUT,
      dtr: { by: 'count', members: 3 },
      ucp: { by: 'count', members: 3 },
      workers: 6,
      zones: 3,
      // buildSnapshot's default is the cache HA layout: one cache behind a load balancer, 2 nodes.
      cacheRegions: 1,
      cachesPerRegion: 2,
    });
    expect(live.figures.map((f) => f.text)).toEqual([
      '3 DTR replicas',
      '3 UCP managers',
      '2 cache nodes in 1 cache',
      '6 application workers',
      '3 zones',
    ]);
    expect(live.asOf).toBe(buildSnapshot().generatedAt);
    expect(live.notes).toEqual([]);
  });

  it('with caches running, the way to the plan retires none of them (it did with the defaults)', () => {
    const snapshot = buildSnapshot({ zones: ZONES });
    const summary = summarizeLive(snapshot);
    const fromDefaults = compareWithLive(buildSizingPlan(DEFAULT_SIZING_INPUT), summary);
    expect(fromDefaults.steps[0]?.title).toBe('Retire 2 cache nodes');

    const fromLive = compareWithLive(buildSizingPlan(available(start()).input), summary);
    expect(fromLive.steps).toEqual([]);
    expect(fromLive.matches).toBe(true);
  });

  it('one cache service behind a load balancer with 3 labelled nodes, plus a regional cache', () => {
    // The cache HA document's layout: 2 registered addresses, 4 labelled nodes (3 + 1).
    const live = available(start({ caches: 4, registeredCaches: ['healthy', 'healthy'] }));
    expect(live.input.cacheRegions).toBe(2);
    expect(live.input.cachesPerRegion).toBe(2);
    expect(live.figures.find((f) => f.field === 'caches')?.text).toBe('4 cache nodes in 2 caches');

    const uneven = available(start({ caches: 5, registeredCaches: ['healthy', 'healthy'] }));
    expect(uneven.input.cacheRegions * uneven.input.cachesPerRegion).not.toBe(5);
    expect(uneven.notes).toContainEqual(
      expect.stringMatching(/^5 cache nodes behind 2 registered caches: .* the plan has 2 × 3\.$/),
    );
  });

  it('caches of different sizes (3 replicas and 1): the plan evens them out and says so', () => {
    const replica = (node: string) => ({
      node,
      status: 'healthy' as const,
      error: null,
      latencyMs: 1,
      since: buildSnapshot().generatedAt,
      checkedAt: buildSnapshot().generatedAt,
    });
    const live = available(
      start({
        caches: 4,
        registeredCaches: [
          { name: 'cache-ha', replicas: ['cache-1', 'cache-2', 'cache-3'].map(replica) },
          { name: 'cache-region-1', replicas: [replica('cache-4')] },
        ],
      }),
    );
    expect([live.input.cacheRegions, live.input.cachesPerRegion]).toEqual([2, 2]);
    expect(live.notes).toContainEqual(
      'The running caches have 3 and 1 replicas: the calculator gives every region the same number of nodes, so the plan has 2 × 2; judge each cache on /caches.',
    );
  });

  it('no caches running: none planned', () => {
    const live = available(start({ caches: 0 }));
    expect(live.input.cacheRegions).toBe(0);
    expect(live.figures.find((f) => f.field === 'caches')?.text).toBe('0 cache nodes');
  });

  it('keeps even and single counts as they are, so the plan warns about them', () => {
    const live = available(start({ replicas: ['healthy', 'healthy'], managers: ['healthy'] }));
    expect(live.input.dtr).toEqual({ by: 'count', members: 2 });
    expect(live.input.ucp).toEqual({ by: 'count', members: 1 });
    expect(live.figures.slice(0, 2).map((f) => f.text)).toEqual([
      '2 DTR replicas',
      '1 UCP manager',
    ]);
    expect(buildSizingPlan(live.input).warnings.map((w) => w.code)).toContain('DTR_TWO_REPLICAS');
  });

  it('counts a down replica: the plan replaces it rather than shrinking', () => {
    const live = available(start({ replicas: ['healthy', 'healthy', 'unreachable'] }));
    expect(live.input.dtr).toEqual({ by: 'count', members: 3 });
  });

  it('brings what the calculator cannot hold into range, and says so', () => {
    const eleven = Array.from({ length: 11 }, () => 'healthy' as const);
    const live = available(start({ replicas: eleven }));
    expect(live.input.dtr).toEqual({ by: 'count', members: 9 });
    expect(live.notes).toContainEqual(expect.stringMatching(/has 11 DTR replicas, .*starts at 9/));
  });

  it('without zone labels it assumes the default zones and says so', () => {
    const live = available(liveSizingStart(buildSnapshot()));
    expect(live.input.zones).toBe(DEFAULT_SIZING_INPUT.zones);
    expect(live.figures.find((f) => f.field === 'zones')?.text).toBe('zones not labelled');
    expect(live.notes).toContain('No node carries a zone label: the plan assumes 3 zones.');
  });

  it('DTR on a manager node: the plan allows it, and says so', () => {
    const live = available(
      start({ nodes: { 'dtr-1': { role: 'manager' } }, managers: ['healthy', 'healthy'] }),
    );
    expect(live.input.dtrOnManagers).toBe(true);
    expect(live.notes).toContainEqual(
      expect.stringMatching(/^1 DTR replica runs on a UCP manager/),
    );
  });

  it('with neither UCP nor DTR readable there is no starting point, and the reason says why', () => {
    const down = start({
      sources: {
        ucp: { state: 'error', lastError: 'connect ECONNREFUSED 10.0.0.1:443' },
        dtr: { state: 'error', lastError: 'timeout after 1500 ms' },
      },
    });
    expect(down).toEqual({
      available: false,
      reason:
        'UCP has not answered yet (connect ECONNREFUSED 10.0.0.1:443); DTR has not answered yet (timeout after 1500 ms).',
    });
  });

  it('with DTR down it takes UCP’s figures and keeps the default replicas', () => {
    const live = available(
      start({ sources: { dtr: { state: 'error', lastError: 'timeout after 1500 ms' } } }),
    );
    expect(live.input.dtr).toEqual(DEFAULT_SIZING_INPUT.dtr);
    expect(live.input.ucp).toEqual({ by: 'count', members: 3 });
    expect(live.notes[0]).toMatch(/^DTR could not be read \(DTR has not answered yet/);
    expect(live.figures.map((f) => f.field)).not.toContain('replicas');
  });

  it('a source that stopped answering: its last figures, dated', () => {
    const live = available(
      start({ sources: { ucp: { state: 'stale', lastSuccessAt: '2026-01-01T00:00:00.000Z' } } }),
    );
    expect(live.notes).toContain(
      'UCP is not answering: its figures are from 2026-01-01T00:00:00.000Z.',
    );
  });
});
