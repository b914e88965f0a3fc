import { describe, expect, it } from 'vitest';
import { durationInWords, listOf, plural } from './format';

describe('wording helpers', () => {
  it('says ages the way people do', () => {
    expect(durationInWords(45_000)).toBe('45 seconds');
    expect(durationInWords(60_000)).toBe('1 minute');
    expect(durationInWords(2 * 3_600_000)).toBe('2 hours');
    expect(durationInWords(2 * 3_600_000 + 5 * 60_000)).toBe('2 hours 5 minutes');
    expect(durationInWords(3 * 86_400_000 + 4 * 3_600_000)).toBe('3 days 4 hours');
    expect(durationInWords(-5)).toBe('0 seconds');
  });

  it('lists a few items and counts the rest', () => {
    expect(listOf([])).toBe('');
    expect(listOf(['a'])).toBe('a');
    expect(listOf(['a', 'b', 'c'])).toBe('a, b and c');
    expect(listOf(['a', 'b', 'c', 'd'], 3)).toBe('a, b and 2 more');
    expect(plural(1, 'replica')).toBe('1 replica');
    expect(plural(2, 'replica')).toBe('2 replicas');
  });
});
