import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { majority } from '../quorum';
import { describeSpread, roundRobin, spreadOverZones, survivesAnyZoneLoss } from './zones';

const WORDS = { one: 'replica', many: 'replicas', system: 'DTR' };

/** Every way to put n members in z zones (as counts), for checking that round-robin is optimal. */
function placements(n: number, z: number): number[][] {
  if (z === 1) return [[n]];
  const out: number[][] = [];
  for (let first = 0; first <= n; first++) {
    for (const rest of placements(n - first, z - 1)) out.push([first, ...rest]);
  }
  return out;
}

describe('zone spreading', () => {
  it('3 members over 3 zones: one per zone survives losing any zone', () => {
    const spread = spreadOverZones(3, 3);
    expect(spread.perZone).toEqual([1, 1, 1]);
    expect(spread.survivesZoneLoss).toBe(true);
    expect(spread.worstRemaining).toBe(2);
    expect(describeSpread(spread, WORDS)).toMatch(/losing any one zone leaves at least 2 of 3/);
  });

  it('5 over 3 zones (2 + 2 + 1) and 7 over 3 (3 + 2 + 2) survive a zone loss', () => {
    expect(spreadOverZones(5, 3)).toMatchObject({ perZone: [2, 2, 1], survivesZoneLoss: true });
    expect(spreadOverZones(7, 3)).toMatchObject({ perZone: [3, 2, 2], survivesZoneLoss: true });
  });

  it('4 over 3 zones cannot: losing the zone with 2 leaves 2 of 4; 3 or 5 would', () => {
    const spread = spreadOverZones(4, 3);
    expect(spread).toMatchObject({
      perZone: [2, 1, 1],
      survivesZoneLoss: false,
      alternatives: [3, 5],
    });
    expect(describeSpread(spread, WORDS)).toMatch(
      /losing zone A leaves 2 of 4, below the majority of 3\. 3 or 5 replicas/,
    );
  });

  it('no count survives over 2 zones, and the statement says a third zone is needed', () => {
    for (let n = 1; n <= 9; n++) {
      const spread = spreadOverZones(n, 2);
      expect(spread.survivesZoneLoss).toBe(false);
      expect(spread.alternatives).toEqual([]);
    }
    expect(describeSpread(spreadOverZones(3, 2), WORDS)).toMatch(/third zone/);
  });

  it('one zone never survives its own loss', () => {
    const spread = spreadOverZones(5, 1);
    expect(spread.survivesZoneLoss).toBe(false);
    expect(describeSpread(spread, WORDS)).toMatch(/share one zone/);
  });

  it('a single member cannot survive losing its zone', () => {
    expect(spreadOverZones(1, 3).survivesZoneLoss).toBe(false);
    expect(describeSpread(spreadOverZones(1, 3), WORDS)).toMatch(/single replica cannot survive/);
  });

  it('the start zone rotates the placement without changing the verdict', () => {
    expect(roundRobin(4, 3, 1)).toEqual([1, 2, 1]);
    expect(spreadOverZones(4, 3, 1).survivesZoneLoss).toBe(false);
  });

  it('round-robin is optimal: when it fails, no placement over the same zones survives', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 5 }), (n, z) => {
        const best = placements(n, z).some(survivesAnyZoneLoss);
        expect(spreadOverZones(n, z).survivesZoneLoss).toBe(best);
      }),
    );
  });

  it('survival means n minus the fullest zone is still a majority', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 5 }),
        (perZone) => {
          const n = perZone.reduce((a, b) => a + b, 0);
          fc.pre(n > 0);
          expect(survivesAnyZoneLoss(perZone)).toBe(n - Math.max(...perZone) >= majority(n));
        },
      ),
    );
  });
});
