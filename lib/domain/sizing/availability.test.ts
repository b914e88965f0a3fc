import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MINUTES_PER_YEAR,
  anyUpUnavailability,
  bothUpUnavailability,
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
    expect(formatDowntime(downtime(3, 99))).toBe('157 min');
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
  it('says downtime in minutes under a day, days above, seconds below a minute', () => {
    expect(formatDowntime(5256)).toBe('3.7 days');
    expect(formatDowntime(10459.44)).toBe('7.3 days');
    expect(formatDowntime(311.17)).toBe('311 min');
    expect(formatDowntime(0.18)).toBe('11 s');
    expect(formatDowntime(1e-9)).toBe('< 1 s');
    expect(formatDowntime(Number.NaN)).toBe('unknown');
  });

  it('shows availability up to the first digit that is not a 9', () => {
    expect(formatAvailability(0.000298)).toBe('99.970%');
    expect(formatAvailability(0.01)).toBe('99.0%');
    expect(formatAvailability(1e-20)).toBe('> 99.999999999%');
  });
});
