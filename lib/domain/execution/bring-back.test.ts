import { describe, expect, it } from 'vitest';
import { ago, buildSnapshot, HOUR } from '@/test/support/snapshot';
import { R1, R3 } from '@/test/support/wizards';
import type { ClusterSnapshot } from '../types';
import { planBringBack } from './bring-back';

const down = { status: 'unreachable' as const, since: ago(HOUR) };

/** The snapshot with UCP's listing of R3's containers: which components stopped. */
function withStopped(snapshot: ClusterSnapshot, stopped: string[] | null): ClusterSnapshot {
  return {
    ...snapshot,
    dtr: {
      ...snapshot.dtr,
      replicas: snapshot.dtr.replicas.map((r) =>
        r.id === R3 ? { ...r, containers: stopped === null ? null : { total: 9, stopped } } : r,
      ),
    },
  };
}

describe('planBringBack', () => {
  const snapshot = buildSnapshot({ replicas: [{}, {}, { ...down, node: 'dtr-3' }] });

  it('starts the containers UCP lists as stopped, by name, on the replica’s node', () => {
    expect(planBringBack(withStopped(snapshot, ['api', 'rethinkdb', 'bogus']), R3)).toEqual({
      ok: true,
      plan: {
        replicaId: R3,
        node: 'dtr-3',
        containers: [`dtr-api-${R3}`, `dtr-rethinkdb-${R3}`],
      },
    });
  });

  it('refuses, in a sentence, what starting containers cannot fix or does not need', () => {
    const refusal = (s: ClusterSnapshot, id: string) => {
      const result = planBringBack(s, id);
      return result.ok ? null : result.reason;
    };
    expect(refusal(snapshot, R1)).toBe(`Replica ${R1} is up: there is nothing to start.`);
    expect(refusal(snapshot, 'ffffffffffff')).toMatch(/no replica ffffffffffff/);
    expect(refusal(snapshot, 'NOT-AN-ID')).toMatch(/12 lowercase hex/);
    expect(refusal(withStopped(snapshot, null), R3)).toMatch(/no stopped dtr-\* container/);
    expect(refusal(withStopped(snapshot, []), R3)).toMatch(/no stopped dtr-\* container/);
    const nodeDown = withStopped(
      buildSnapshot({
        replicas: [{}, {}, { ...down, node: 'dtr-3' }],
        nodes: { 'dtr-3': { state: 'down' } },
      }),
      ['api'],
    );
    expect(refusal(nodeDown, R3)).toMatch(/node dtr-3 is down: .*Power it on/);
    const ghost = withStopped(
      buildSnapshot({ replicas: [{}, {}, { status: 'ghost', node: 'dtr-3' }] }),
      ['api'],
    );
    expect(refusal(ghost, R3)).toMatch(/no containers on any node/);
  });
});
