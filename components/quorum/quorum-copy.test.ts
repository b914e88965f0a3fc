import { describe, expect, it } from 'vitest';
import { assessQuorum } from '@/lib/domain/quorum';
import { describeMargin, quorumHeadline } from './quorum-copy';

const headline = (group: 'dtr' | 'ucp', members: number, healthy: number) => {
  const quorum = assessQuorum(members, healthy);
  return quorumHeadline(group, quorum, quorum.status);
};

describe('quorumHeadline', () => {
  it('walks a 3-replica DTR from healthy to lost in plain words', () => {
    expect(headline('dtr', 3, 3)).toBe('Healthy — can lose 1 of 3 replicas and keep working');
    expect(headline('dtr', 3, 2)).toBe('At risk — one more replica failure stops the registry');
    expect(headline('dtr', 3, 1)).toBe(
      'Quorum lost — the registry is down: logins, pushes and pulls fail',
    );
  });

  it('says how many are down and how many more can go when degraded', () => {
    expect(headline('dtr', 5, 4)).toBe('Degraded — 1 replica down, can still lose 1 more');
    expect(headline('ucp', 7, 5)).toBe('Degraded — 2 managers down, can still lose 1 more');
  });

  it('does not call a cluster that tolerates nothing simply healthy', () => {
    expect(headline('dtr', 1, 1)).toMatch(/no margin.*losing any one stops the registry/);
    expect(headline('ucp', 2, 2)).toMatch(/no margin.*2 managers/);
  });

  it('says unknown when the source never answered', () => {
    expect(quorumHeadline('dtr', assessQuorum(0, 0), 'unknown')).toMatch(/^Unknown/);
  });

  it('members of unknown state: "cannot tell" when they decide, "holds either way" when not', () => {
    const undecided = assessQuorum(3, 1, 2);
    expect(quorumHeadline('dtr', undecided, undecided.status)).toBe(
      'Cannot tell — 1 of 3 replicas known up, 2 unknown: they decide whether it works',
    );
    const holds = assessQuorum(3, 2, 1);
    expect(quorumHeadline('dtr', holds, holds.status)).toBe(
      'Holds either way — but if the 1 unknown replica is down, one more failure stops the registry',
    );
    const five = assessQuorum(5, 4, 1);
    expect(quorumHeadline('ucp', five, five.status)).toBe(
      'Degraded — 0 managers down, 1 unknown, can still lose 1 more',
    );
  });
});

describe('describeMargin', () => {
  it('puts the margin in words', () => {
    expect(describeMargin(2)).toBe('2 more failures');
    expect(describeMargin(0)).toBe('none');
    expect(describeMargin(-1)).toBe('1 short of a majority');
  });
});
