import { describe, expect, it } from 'vitest';
import { isStalled, stallAfterMs } from './freshness';

describe('when figures are out of date', () => {
  it('allows three poll intervals, and never less than ten seconds', () => {
    expect(stallAfterMs(2_000)).toBe(10_000);
    expect(stallAfterMs(5_000)).toBe(15_000);
  });

  it('calls a snapshot stalled only past that, or when its age cannot be read', () => {
    expect(isStalled(10_000, 2_000)).toBe(false);
    expect(isStalled(10_001, 2_000)).toBe(true);
    expect(isStalled(14_000, 5_000)).toBe(false);
    expect(isStalled(15_001, 5_000)).toBe(true);
    expect(isStalled(Number.NaN, 2_000)).toBe(true);
  });
});
