import { describe, expect, it } from 'vitest';
import { TEST_NOW } from '@/test/support/snapshot';
import { warningsFor } from '@/test/support/assess';
import type { CacheReplica, CacheState, Warning } from '../types';

const LB = 'https://cache-lb.example.com:443';
/** The cache HA document's layout: one cache at its load balancer, `n` labelled nodes behind it. */
const haCache = (extra: Partial<CacheState> = {}): Partial<CacheState> => ({
  name: 'cache-ha',
  url: LB,
  node: null,
  ...extra,
});
const replica = (node: string, status: CacheReplica['status'] = 'healthy'): CacheReplica => ({
  node,
  status,
  error: status === 'unreachable' ? 'connect ECONNREFUSED 10.0.3.2:443' : null,
  latencyMs: status === 'healthy' ? 9 : null,
  since: TEST_NOW,
  checkedAt: TEST_NOW,
});
const bothCodes = (spec: Parameters<typeof warningsFor>[1]): Warning[] => [
  ...warningsFor('CACHE_SINGLE_REPLICA', spec),
  ...warningsFor('CACHE_UNHEALTHY', spec),
];
const everyCommandText = (warnings: Warning[]) =>
  warnings.flatMap((w) => [w.command ?? '', w.nextStep, w.detail]).join('\n');

describe('CACHE_SINGLE_REPLICA', () => {
  it('is quiet on the cache HA layout: one cache at its load balancer, 3 labelled nodes behind it', () => {
    expect(
      warningsFor('CACHE_SINGLE_REPLICA', { caches: 3, registeredCaches: [haCache()] }),
    ).toEqual([]);
    // The default test snapshot is that layout with 2 nodes.
    expect(warningsFor('CACHE_SINGLE_REPLICA')).toEqual([]);
  });

  it('fires for a cache behind a load balancer with one labelled node', () => {
    const warnings = warningsFor('CACHE_SINGLE_REPLICA', {
      caches: 1,
      registeredCaches: [haCache()],
    });
    expect(warnings.map((w) => [w.title, w.subjects])).toEqual([
      [
        'DTR cache cache-ha has one replica behind its load balancer, on cache-1',
        ['cache-ha', 'cache-1'],
      ],
    ]);
    expect(warnings[0]?.nextStep).toContain('rw,root_squash,no_wdelay');
  });

  it('fires once per regional cache with one replica: two caches, two warnings', () => {
    const warnings = warningsFor('CACHE_SINGLE_REPLICA', {
      registeredCaches: [{ name: 'cache-asia' }, { name: 'cache-eu' }],
    });
    expect(warnings.map((w) => w.title)).toEqual([
      'DTR cache cache-asia has one replica, on cache-1',
      'DTR cache cache-eu has one replica, on cache-2',
    ]);
  });

  it('tells the HA cache from a regional one on another labelled node', () => {
    const warnings = warningsFor('CACHE_SINGLE_REPLICA', {
      caches: 4,
      registeredCaches: [
        haCache(),
        { name: 'cache-eu', url: 'https://cache-4:443', node: 'cache-4' },
      ],
    });
    expect(warnings.map((w) => w.subjects)).toEqual([['cache-eu', 'cache-4']]);
  });

  it('does not guess when several caches sit at addresses that are no node', () => {
    expect(
      warningsFor('CACHE_SINGLE_REPLICA', {
        caches: 1,
        registeredCaches: [haCache(), haCache({ name: 'cache-2', url: 'https://lb-2:443' })],
      }),
    ).toEqual([]);
  });

  it('uses the node labels alone in snapshots without registered caches', () => {
    expect(warningsFor('CACHE_SINGLE_REPLICA', { registeredCaches: null })).toEqual([]);
    expect(warningsFor('CACHE_SINGLE_REPLICA', { caches: 1, registeredCaches: null })).toHaveLength(
      1,
    );
    expect(
      warningsFor('CACHE_SINGLE_REPLICA', {
        caches: 0,
        registeredCaches: null,
        nodes: { 'worker-1': { labels: { 'dtr.cache': 'true' } } },
      }),
    ).toHaveLength(1);
  });

  it('is quiet with no caches', () => {
    expect(warningsFor('CACHE_SINGLE_REPLICA', { caches: 0 })).toEqual([]);
  });
});

describe('CACHE_UNHEALTHY', () => {
  it('is quiet on the cache HA layout, and never offers to remove the label of a node in use', () => {
    const spec = {
      caches: 3,
      registeredCaches: [
        haCache({
          layout: 'load-balancer' as const,
          replicas: ['cache-1', 'cache-2', 'cache-3'].map((n) => replica(n)),
        }),
      ],
    };
    expect(warningsFor('CACHE_UNHEALTHY', spec)).toEqual([]);
    // The same without the monitor's replica probes (an older snapshot): the rule alone.
    expect(warningsFor('CACHE_UNHEALTHY', { caches: 3, registeredCaches: [haCache()] })).toEqual(
      [],
    );
  });

  it('one replica stopped behind the load balancer: a warning that restores it, 2 of 3 serving', () => {
    const warnings = warningsFor('CACHE_UNHEALTHY', {
      caches: 3,
      registeredCaches: [
        haCache({
          layout: 'load-balancer',
          replicas: [replica('cache-1'), replica('cache-2', 'unreachable'), replica('cache-3')],
        }),
      ],
    });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      severity: 'warning',
      title: 'DTR cache cache-ha: the replica on cache-2 is unreachable',
      subjects: ['cache-2'],
      command: 'docker node ps cache-2',
    });
    expect(warnings[0]?.detail).toContain('now serves from 2 of its 3 replicas');
    expect(warnings[0]?.detail).toContain('ECONNREFUSED');
    expect(warnings[0]?.nextStep).toMatch(/^Restart the cache task on cache-2/);
    expect(everyCommandText(warnings)).not.toContain('--label-rm');
  });

  it.each([
    ['drain', 'drained', 'docker node update --availability active cache-3', /2 of its 3/],
    ['pause', 'paused', 'docker node update --availability active cache-3', /not replaced/],
  ] as const)(
    'a %s cache node: a warning whose command puts it back',
    (availability, word, command, detail) => {
      const warnings = warningsFor('CACHE_UNHEALTHY', {
        caches: 3,
        registeredCaches: [haCache()],
        nodes: { 'cache-3': { availability } },
      });
      expect(warnings.map((w) => [w.title, w.severity, w.command])).toEqual([
        [`DTR cache node cache-3 is ${word}`, 'warning', command],
      ]);
      expect(warnings[0]?.detail).toMatch(detail);
    },
  );

  it('a cache node down behind the load balancer: a warning saying what is lost and how back', () => {
    const warnings = warningsFor('CACHE_UNHEALTHY', {
      caches: 3,
      registeredCaches: [
        haCache({
          layout: 'load-balancer',
          replicas: [replica('cache-1'), replica('cache-2', 'unreachable'), replica('cache-3')],
        }),
      ],
      nodes: { 'cache-2': { state: 'down', message: 'heartbeat failure' } },
    });
    // One warning for the node, not a second one for its replica's failed probe.
    expect(warnings.map((w) => [w.title, w.severity])).toEqual([
      ['DTR cache node cache-2 is down', 'warning'],
    ]);
    expect(warnings[0]?.detail).toContain('2 of its 3 replicas');
    expect(warnings[0]?.nextStep).toMatch(/^Bring cache-2 back/);
  });

  it('a drained node under a regional single-replica cache warns too', () => {
    const warnings = warningsFor('CACHE_UNHEALTHY', {
      registeredCaches: [{}, {}],
      nodes: { 'cache-1': { availability: 'drain' } },
    });
    expect(warnings.map((w) => [w.title, w.command])).toEqual([
      ['DTR cache node cache-1 is drained', 'docker node update --availability active cache-1'],
    ]);
  });

  it('fires for a cache whose /v2/ probe fails, with the reason', () => {
    const warnings = warningsFor('CACHE_UNHEALTHY', { registeredCaches: ['healthy', 'unhealthy'] });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      severity: 'warning',
      title: 'DTR cache cache-2 is unhealthy',
      subjects: ['cache-2'],
      href: '/caches',
    });
    expect(warnings[0]?.detail).toContain('HTTP 503');
  });

  it('sends a failing load balancer to the load balancer, naming its replicas', () => {
    const warnings = warningsFor('CACHE_UNHEALTHY', {
      caches: 2,
      registeredCaches: [haCache({ status: 'unreachable', error: 'connect ECONNREFUSED' })],
    });
    expect(warnings.map((w) => w.title)).toEqual(['DTR cache cache-ha is unreachable']);
    expect(warnings[0]?.nextStep).toContain('(cache-1, cache-2)');
  });

  it('fires for an unreachable regional cache on a node that is down, once', () => {
    const warnings = warningsFor('CACHE_UNHEALTHY', {
      registeredCaches: [{}, {}],
      nodes: { 'cache-2': { state: 'down' } },
    });
    expect(warnings.map((w) => [w.title, w.severity])).toEqual([
      ['DTR cache cache-2 is unreachable', 'warning'],
    ]);
  });

  it('trusts the probe over the node state: a cache answering on a node shown down is fine', () => {
    expect(
      warningsFor('CACHE_UNHEALTHY', {
        nodes: { 'cache-2': { state: 'down' } },
        registeredCaches: ['healthy', 'healthy'],
      }),
    ).toEqual([]);
  });

  it('falls back to the node state when there is no probe data', () => {
    const warnings = warningsFor('CACHE_UNHEALTHY', {
      nodes: { 'cache-2': { state: 'down' } },
      registeredCaches: null,
    });
    expect(warnings.map((w) => [w.title, w.severity])).toEqual([
      ['DTR cache node cache-2 is down', 'warning'],
    ]);
  });

  it('notes a labelled node no registered cache can use; removing the label only after a check', () => {
    // Both caches sit on their own nodes and none at a load balancer: cache-3 serves no cache.
    const warnings = warningsFor('CACHE_UNHEALTHY', { caches: 3, registeredCaches: [{}, {}] });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      severity: 'info',
      subjects: ['cache-3'],
      command: 'docker node ps cache-3',
    });
    expect(warnings[0]?.nextStep).toMatch(
      /If none does, .*docker node update --label-rm dtr.cache cache-3$/,
    );
  });

  it('never offers --label-rm for labelled nodes behind a load balancer, even when unsure which cache', () => {
    const warnings = bothCodes({
      caches: 3,
      registeredCaches: [haCache(), haCache({ name: 'cache-2', url: 'https://lb-2:443' })],
    });
    expect(everyCommandText(warnings)).not.toContain('--label-rm');
  });

  it('notes a registered cache on a node without the label, with the label command', () => {
    const warnings = warningsFor('CACHE_UNHEALTHY', {
      caches: 1,
      registeredCaches: [{}, { name: 'cache-x', node: 'worker-1' }],
    });
    expect(warnings.map((w) => [w.severity, w.subjects, w.command])).toEqual([
      ['info', ['worker-1'], 'docker node update --label-add dtr.cache=true worker-1'],
    ]);
  });

  it('shell-quotes node names in the label command', () => {
    const [w] = warningsFor('CACHE_UNHEALTHY', {
      caches: 0,
      registeredCaches: [{ name: 'odd', node: "it's" }],
      nodes: { 'worker-1': { hostname: "it's" } },
    });
    expect(w?.command).toBe(`docker node update --label-add dtr.cache=true 'it'\\''s'`);
  });

  it('is quiet while every cache answers and labels match', () => {
    expect(warningsFor('CACHE_UNHEALTHY')).toEqual([]);
    expect(warningsFor('CACHE_UNHEALTHY', { caches: 0 })).toEqual([]);
  });
});
