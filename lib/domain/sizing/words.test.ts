import { describe, expect, it } from 'vitest';
import { describeInputs } from './export';
import { DEFAULT_SIZING_INPUT } from './input';
import { buildSizingPlan } from './plan';
import { countOf } from './words';

describe('counts in words', () => {
  it('singular for one, plural otherwise', () => {
    expect(countOf(1, 'manager')).toBe('1 manager');
    expect(countOf(0, 'manager')).toBe('0 managers');
    expect(countOf(3, 'replica')).toBe('3 replicas');
    expect(countOf(1, 'replica runs', 'replicas run')).toBe('1 replica runs');
  });

  it('a one-member plan reads in the singular everywhere it is described', () => {
    const plan = buildSizingPlan({
      ...DEFAULT_SIZING_INPUT,
      dtr: { by: 'count', members: 1 },
      ucp: { by: 'count', members: 1 },
      cacheRegions: 1,
      cachesPerRegion: 1,
    });
    const text = JSON.stringify([describeInputs(plan.input), plan.total, plan.caches]);
    expect(text).not.toMatch(/\b1 (replicas|managers|nodes|regions)\b/);
    expect(text).not.toContain('(s)');
    expect(describeInputs(plan.input)).toContainEqual({ label: 'DTR', value: '1 replica' });
    expect(describeInputs(plan.input)).toContainEqual({
      label: 'DTR caches',
      value: '1 region × 1 node, shared storage',
    });
  });
});
