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

  it('fires once when only one of two labelled nodes has a registered cache', () => {
    const warnings = warningsFor('CACHE_SINGLE_REPLICA', { registeredCaches: [{}] });
    expect(warnings.map((w) => [w.title, w.subjects])).toEqual([
      ['Only one DTR cache is registered: cache-1', ['cache-1']],
    ]);
  });

  it('uses the node labels alone in snapshots without registered caches', () => {
    expect(warningsFor('CACHE_SINGLE_REPLICA', { registeredCaches: null })).toEqual([]);
    expect(warningsFor('CACHE_SINGLE_REPLICA', { caches: 1, registeredCaches: null })).toHaveLength(
      1,
    );
  });
});

describe('CACHE_UNHEALTHY', () => {
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

  it('fires for an unreachable cache on a node that is down, once', () => {
    const warnings = warningsFor('CACHE_UNHEALTHY', { nodes: { 'cache-2': { state: 'down' } } });
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

  it('notes a labelled node without a registered cache, with the unlabel command', () => {
    const warnings = warningsFor('CACHE_UNHEALTHY', { registeredCaches: [{}] });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      severity: 'info',
      subjects: ['cache-2'],
      command: 'docker node update --label-rm dtr.cache cache-2',
    });
    expect(warnings[0]?.title).toMatch(/labelled dtr.cache=true but runs no registered cache/);
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
