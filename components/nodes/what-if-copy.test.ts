import { describe, expect, it } from 'vitest';
import { currentQuorums, whatIfNodeFails, worstSingleFailure } from '@/lib/domain/placement';
import { buildSnapshot } from '@/test/support/snapshot';
import { failureHref, failureTitle, outcomes, worstStatus } from './what-if-copy';

describe('what-if copy', () => {
  it('says the margin left and its state, or that nothing changes', () => {
    const snapshot = buildSnapshot();
    const [dtr, ucp] = outcomes(currentQuorums(snapshot), whatIfNodeFails(snapshot, 'dtr-2'));
    expect(dtr.text).toBe('DTR margin 0: one more failure would lose quorum');
    expect(dtr.text).not.toContain('at risk');
    // As designed: a 3-replica cluster may lose one; no warning colour for a what-if.
    expect(dtr.tone).toBe('neutral');
    expect(ucp.text).toBe('UCP unchanged');
    expect(ucp.changed).toBe(false);
  });

  it('says when a quorum would be lost, and when it already is', () => {
    const snapshot = buildSnapshot({ replicas: ['unreachable', 'unreachable', 'healthy'] });
    const [down] = outcomes(currentQuorums(snapshot), whatIfNodeFails(snapshot, 'dtr-1'));
    expect(down.text).toBe('DTR unchanged (quorum already lost)');
    const [last] = outcomes(currentQuorums(snapshot), whatIfNodeFails(snapshot, 'dtr-3'));
    expect(last.text).toBe('DTR quorum already lost');
    const atRisk = buildSnapshot({ replicas: ['unreachable', 'healthy', 'healthy'] });
    const [lost] = outcomes(currentQuorums(atRisk), whatIfNodeFails(atRisk, 'dtr-3'));
    expect(lost.text).toBe('DTR quorum lost');
    expect(lost.tone).toBe('bad');
  });

  it('titles and links the worst failure', () => {
    const zoned = buildSnapshot({
      zones: { 'mgr-1': 'a', 'dtr-1': 'a', 'mgr-2': 'b', 'dtr-2': 'b', 'mgr-3': 'c', 'dtr-3': 'c' },
    });
    const worst = worstSingleFailure(zoned);
    expect(worst && failureTitle(worst)).toBe('If zone a fails');
    expect(worst && failureHref(worst)).toBe('/nodes?zone=a');
    expect(worst && worstStatus(worst)).toBe('at-risk');
    const plain = worstSingleFailure(buildSnapshot());
    expect(plain && failureTitle(plain)).toBe('If dtr-1 fails');
    expect(plain && failureHref(plain)).toBe('/nodes?node=dtr-1');
  });
});
