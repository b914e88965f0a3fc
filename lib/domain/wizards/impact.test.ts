import { describe, expect, it } from 'vitest';
import { supportsRemoveForce } from '../commands';
import { buildSnapshot } from '@/test/support/snapshot';
import { describeImpact, impactSide, joinImpact, removeImpact } from './impact';
import { R3 } from '@/test/support/wizards';

describe('impact', () => {
  it('says before and after in numbers and words', () => {
    const impact = removeImpact(
      buildSnapshot({ replicas: ['healthy', 'healthy', 'unreachable'] }),
      [R3],
    );
    expect(impact.before).toEqual({
      replicas: 3,
      healthy: 2,
      majority: 2,
      failuresTolerated: 1,
      margin: 0,
      status: 'at-risk',
    });
    expect(impact.summary).toEqual([
      'Before: 3 replicas, 2 healthy. DTR needs 2, survives 1 failure by design, and it cannot lose another replica right now.',
      'After: 2 replicas, 2 healthy. DTR needs 2, survives no failure by design, and it cannot lose another replica right now.',
      'The headroom now stays the same, but the design tolerates fewer failures.',
    ]);
  });

  it('a join adds headroom; a change below the majority says the registry is down', () => {
    expect(joinImpact(buildSnapshot({ replicas: ['healthy', 'healthy'] })).summary.at(-1)).toBe(
      'The change gives back 1 failure of headroom.',
    );
    expect(describeImpact(impactSide(3, 2), impactSide(2, 1)).summary[1]).toMatch(
      /quorum is lost: the registry is down/,
    );
  });
});

describe('supportsRemoveForce', () => {
  it('is true from MSR 2.9 on and false before or when unknown', () => {
    expect(['2.9.0', '2.9.16', '2.10.1', '3.0.0', 'v2.9.1'].map(supportsRemoveForce)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['2.8.9', '2.7.6', 'latest', '', 'x2.9'].map(supportsRemoveForce)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(supportsRemoveForce(null)).toBe(false);
  });
});
