import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assessQuorum, failuresTolerated, majority, toleranceTable } from './quorum';

describe('quorum arithmetic', () => {
  it('matches the documented failure-tolerance table', () => {
    expect(toleranceTable(7)).toEqual([
      { members: 1, majority: 1, failuresTolerated: 0 },
      { members: 2, majority: 2, failuresTolerated: 0 },
      { members: 3, majority: 2, failuresTolerated: 1 },
      { members: 4, majority: 3, failuresTolerated: 1 },
      { members: 5, majority: 3, failuresTolerated: 2 },
      { members: 6, majority: 4, failuresTolerated: 2 },
      { members: 7, majority: 4, failuresTolerated: 3 },
    ]);
  });

  it('an even count never tolerates more than the odd count below it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), (k) => {
        expect(failuresTolerated(2 * k)).toBe(failuresTolerated(2 * k - 1));
      }),
    );
  });

  it('majority is a strict majority: two disjoint majorities cannot exist', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 15 }), (n) => {
        const m = majority(n);
        expect(2 * m).toBeGreaterThan(n);
        expect(2 * (m - 1)).toBeLessThanOrEqual(n);
      }),
    );
  });

  it('losing exactly failuresTolerated members keeps quorum; one more loses it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 15 }), (n) => {
        const t = failuresTolerated(n);
        expect(assessQuorum(n, n - t).margin).toBe(0);
        expect(assessQuorum(n, n - t).status).not.toBe('lost');
        expect(assessQuorum(n, n - t - 1).status).toBe('lost');
      }),
    );
  });

  it('status follows the margin for every n = 1..15 and h = 0..n', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 15 })
          .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n }))),
        ([n, h]) => {
          const q = assessQuorum(n, h);
          expect(q.margin).toBe(h - q.majority);
          if (q.margin < 0) expect(q.status).toBe('lost');
          else if (h === n) {
            expect(q.status).toBe('healthy');
            expect(q.margin).toBe(q.failuresTolerated);
          } else if (q.margin > 0) expect(q.status).toBe('degraded');
          else expect(q.status).toBe('at-risk');
        },
      ),
    );
  });

  it('names the usual cases the way an admin expects', () => {
    expect(assessQuorum(3, 3)).toMatchObject({
      status: 'healthy',
      failuresTolerated: 1,
      margin: 1,
    });
    expect(assessQuorum(3, 2)).toMatchObject({ status: 'at-risk', margin: 0 });
    expect(assessQuorum(3, 1)).toMatchObject({ status: 'lost', margin: -1 });
    expect(assessQuorum(5, 4)).toMatchObject({ status: 'degraded', margin: 1 });
    expect(assessQuorum(2, 2)).toMatchObject({
      status: 'healthy',
      failuresTolerated: 0,
      margin: 0,
    });
    expect(assessQuorum(2, 1).status).toBe('lost');
    expect(assessQuorum(0, 0).status).toBe('lost');
  });

  it('members of unknown state: "holds either way" vs "cannot tell" vs lost whatever they are', () => {
    // 2 healthy, 1 unknown of 3: a majority works either way, with no margin if the unknown one is down.
    expect(assessQuorum(3, 2, 1)).toMatchObject({ status: 'at-risk', margin: 0, unknown: 1 });
    // 3 healthy, 2 unknown of 5: holds either way, one more failure left in the worst case.
    expect(assessQuorum(5, 3, 2)).toMatchObject({ status: 'at-risk', margin: 0 });
    expect(assessQuorum(5, 4, 1)).toMatchObject({ status: 'degraded', margin: 1 });
    // 1 healthy, 2 unknown of 3: the unknown ones decide.
    expect(assessQuorum(3, 1, 2)).toMatchObject({ status: 'unknown', margin: -1 });
    expect(assessQuorum(3, 0, 3)).toMatchObject({ status: 'unknown' });
    // 1 healthy, 1 unknown, 1 down of 3: the unknown one decides.
    expect(assessQuorum(3, 1, 1).status).toBe('unknown');
    // 1 unknown, 2 down of 3: lost even if the unknown one is up.
    expect(assessQuorum(3, 0, 1).status).toBe('lost');
  });

  it('with unknown members: lost exactly when even all of them up is short; unknown when they decide', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 15 })
          .chain((n) =>
            fc
              .integer({ min: 0, max: n })
              .chain((h) =>
                fc.tuple(fc.constant(n), fc.constant(h), fc.integer({ min: 0, max: n - h })),
              ),
          ),
        ([n, h, u]) => {
          const q = assessQuorum(n, h, u);
          const need = majority(n);
          if (h + u < need) expect(q.status).toBe('lost');
          else if (h < need) expect(q.status).toBe('unknown');
          else expect(q.status).toBe(h === n ? 'healthy' : h - need > 0 ? 'degraded' : 'at-risk');
          if (u > 0) expect(q.status).not.toBe('healthy');
          expect(q.margin).toBe(h - need);
        },
      ),
    );
  });

  it('rejects impossible inputs', () => {
    expect(() => assessQuorum(3, 2, 2)).toThrow(RangeError);
    expect(() => assessQuorum(3, 4)).toThrow(RangeError);
    expect(() => majority(-1)).toThrow(RangeError);
    expect(() => failuresTolerated(1.5)).toThrow(RangeError);
  });
});
