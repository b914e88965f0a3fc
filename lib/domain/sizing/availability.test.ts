import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MINUTES_PER_YEAR,
  anyUpUnavailability,
  bothUpUnavailability,
  downtimeAxis,
  downtimeSeries,
  formatAvailability,
  formatDowntime,
  quorumUnavailability,
  yearlyDowntimeMinutes,
} from './availability';

const downtime = (members: number, percent: number) =>
  yearlyDowntimeMinutes(quorumUnavailability(members, percent));

describe('binomial quorum availability', () => {
  it('3 nodes at 99% are down about 157 minutes a year', () => {
    // P(at most 1 of 3 up) = 3·0.99·0.01² + 0.01³ = 0.000298
    expect(quorumUnavailability(3, 99)).toBeCloseTo(0.000298, 9);
    expect(downtime(3, 99)).toBeCloseTo(156.6288, 3);
    expect(formatDowntime(downtime(3, 99))).toBe('2.6 h');
  });

  it('1 node is down exactly its own unavailability: 5,256 minutes at 99%', () => {
    expect(downtime(1, 99)).toBeCloseTo(5256, 6);
    expect(downtime(1, 99.9)).toBeCloseTo(525.6, 6);
  });

  it('2 nodes are worse than 1, and 4 worse than 3, at 99% and 99.9%', () => {
    for (const percent of [99, 99.9]) {
      expect(downtime(2, percent)).toBeGreaterThan(downtime(1, percent));
      expect(downtime(4, percent)).toBeGreaterThan(downtime(3, percent));
      expect(downtime(6, percent)).toBeGreaterThan(downtime(5, percent));
    }
    // 2 of 2 must be up: 1 − 0.99² = 0.0199
    expect(downtime(2, 99)).toBeCloseTo(0.0199 * MINUTES_PER_YEAR, 6);
  });

  it('every even count is worse than the odd count below it, for any per-node availability', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.double({ min: 90, max: 99.9999, noNaN: true }),
        (k, percent) => {
          expect(quorumUnavailability(2 * k, percent)).toBeGreaterThan(
            quorumUnavailability(2 * k - 1, percent),
          );
        },
      ),
    );
  });

  it('every odd count is better than the odd count below it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.double({ min: 90, max: 99.9999, noNaN: true }),
        (k, percent) => {
          expect(quorumUnavailability(2 * k + 1, percent)).toBeLessThan(
            quorumUnavailability(2 * k - 1, percent),
          );
        },
      ),
    );
  });

  it('keeps precision for tiny unavailabilities instead of rounding to zero', () => {
    // 7 nodes at 99.999%: at least 4 down, ≈ C(7,4)·q⁴ = 35e-20
    const u = quorumUnavailability(7, 99.999);
    expect(u).toBeGreaterThan(0);
    expect(u / 35e-20).toBeCloseTo(1, 3);
  });

  it('a chart series for 1..7 marks even counts', () => {
    const series = downtimeSeries(99);
    expect(series.map((p) => p.members)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(series.filter((p) => p.even).map((p) => p.members)).toEqual([2, 4, 6]);
    expect(series[2]?.downtimeMinutes).toBeCloseTo(156.63, 2);
    expect(downtimeSeries(99, 9)).toHaveLength(9);
  });

  it('caches are up while any node is; the registry needs DTR and UCP both', () => {
    expect(anyUpUnavailability(2, 99)).toBeCloseTo(0.0001, 12);
    expect(bothUpUnavailability(0.01, 0.02)).toBeCloseTo(1 - 0.99 * 0.98, 12);
  });
});

describe('formatting', () => {
  it('says a year of downtime in days, hours, minutes, seconds, milliseconds or microseconds', () => {
    expect(formatDowntime(5256)).toBe('3.7 days');
    expect(formatDowntime(10459.44)).toBe('7.3 days');
    expect(formatDowntime(525.6)).toBe('8.8 h');
    expect(formatDowntime(311.17)).toBe('5.2 h');
    expect(formatDowntime(119)).toBe('119 min');
    expect(formatDowntime(1.57)).toBe('1.6 min');
    expect(formatDowntime(0.18)).toBe('11 s');
    expect(formatDowntime(0.3 / 60)).toBe('300 ms');
    expect(formatDowntime(2e-5 / 60)).toBe('20 µs');
    expect(formatDowntime(1e-12)).toBe('< 1 µs');
    expect(formatDowntime(Number.NaN)).toBe('unknown');
  });

  it('tells every size from 1 to 9 apart at 99.9% (no two read "< 1 s")', () => {
    const labels = downtimeSeries(99.9, 9).map((p) => formatDowntime(p.downtimeMinutes));
    expect(labels.slice(0, 3)).toEqual(['8.8 h', '18 h', '1.6 min']);
    // 5 members: about a third of a second a year; 7 and 9: milliseconds and microseconds.
    expect(labels[4]).toMatch(/^\d+ ms$/);
    expect(labels[6]).toMatch(/^\d+(\.\d)? (ms|µs)$/);
    expect(labels[8]).toMatch(/µs$/);
    const odd = [labels[0], labels[2], labels[4], labels[6], labels[8]];
    expect(new Set(odd).size).toBe(odd.length);
    expect(labels.some((l) => l.includes('<'))).toBe(false);
  });

  it('a log axis of readable round amounts around the data, never "1e-2 min"', () => {
    const values = downtimeSeries(99.9, 9).map((p) => p.downtimeMinutes);
    const axis = downtimeAxis(values);
    const labels = axis.ticks.map((t) => t.label);
    expect(labels.every((l) => /^\d+ (µs|ms|s|min|h|days?|year)$/.test(l))).toBe(true);
    expect(labels.length).toBeLessThanOrEqual(7);
    // The domain covers every bar, from the smallest (9 members) to the largest (2 members).
    const [low, high] = axis.domain;
    expect(low).toBeLessThanOrEqual(Math.min(...values));
    expect(high).toBeGreaterThanOrEqual(Math.max(...values));
    expect(axis.ticks[0]?.minutes).toBe(low);
    expect(axis.ticks.at(-1)?.minutes).toBe(high);
    // Ticks go up.
    for (let i = 1; i < axis.ticks.length; i++)
      expect(axis.ticks[i]!.minutes).toBeGreaterThan(axis.ticks[i - 1]!.minutes);
  });

  it('a narrow range keeps its neighbouring round amounts', () => {
    // 1 to 7 members at 99%: from about 15 s to about 4 days a year.
    const axis = downtimeAxis(downtimeSeries(99, 7).map((p) => p.downtimeMinutes));
    expect(axis.ticks.map((t) => t.label)).toEqual([
      '10 s',
      '1 min',
      '10 min',
      '1 h',
      '10 h',
      '1 day',
      '10 days',
    ]);
  });

  it('never goes below 1 µs, whatever the data', () => {
    const axis = downtimeAxis([1e-15, 5]);
    expect(axis.ticks[0]?.label).toBe('1 µs');
  });

  it('shows availability up to the first digit that is not a 9', () => {
    expect(formatAvailability(0.000298)).toBe('99.970%');
    expect(formatAvailability(0.01)).toBe('99.0%');
    expect(formatAvailability(1e-20)).toBe('> 99.999999999%');
  });
});
