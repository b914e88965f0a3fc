import { describe, expect, it } from 'vitest';
import { warningsFor } from '../testing/assess';

describe('CACHE_SINGLE_REPLICA', () => {
  it('fires for exactly one cache node', () => {
    const [w] = warningsFor('CACHE_SINGLE_REPLICA', { caches: 1 });
    expect(w).toMatchObject({ severity: 'warning', subjects: ['cache-1'], href: '/caches' });
  });

  it('is quiet with no caches or two', () => {
    expect(warningsFor('CACHE_SINGLE_REPLICA', { caches: 0 })).toEqual([]);
    expect(warningsFor('CACHE_SINGLE_REPLICA')).toEqual([]);
  });

  it('counts nodes labelled dtr.cache=true as caches', () => {
    expect(
      warningsFor('CACHE_SINGLE_REPLICA', {
        caches: 0,
        nodes: { 'worker-1': { labels: { 'dtr.cache': 'true' } } },
      }),
    ).toHaveLength(1);
  });
});

describe('CACHE_UNHEALTHY', () => {
  it('fires for a cache node that is not ready', () => {
    const warnings = warningsFor('CACHE_UNHEALTHY', { nodes: { 'cache-2': { state: 'down' } } });
    expect(warnings.map((w) => [w.title, w.severity])).toEqual([
      ['DTR cache node cache-2 is down', 'warning'],
    ]);
  });

  it('is quiet while cache nodes are ready', () => {
    expect(warningsFor('CACHE_UNHEALTHY')).toEqual([]);
  });
});
