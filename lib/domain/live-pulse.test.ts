import { describe, expect, it } from 'vitest';
import { buildSnapshot, TEST_NOW } from '@/test/support/snapshot';
import type { ClusterSnapshot, ClusterStatus } from '@/lib/domain/types';
import { applyPulse, pulseOf } from './live-pulse';

const at = (seconds: number) => new Date(Date.parse(TEST_NOW) + seconds * 1000).toISOString();
const spec = { replicas: ['healthy', 'unreachable', 'healthy'] as const, caches: 0, workers: 50 };

/** The same content polled again `seconds` later: new times and latencies only. */
function repoll(snapshot: ClusterSnapshot, seconds: number): ClusterSnapshot {
  const now = at(seconds);
  const probe = <T extends { checkedAt: string; latencyMs: number | null }>(p: T): T => ({
    ...p,
    checkedAt: now,
    latencyMs: p.latencyMs === null ? null : p.latencyMs + seconds,
  });
  return {
    ...snapshot,
    generatedAt: now,
    sources: {
      ucp: { ...snapshot.sources.ucp, checkedAt: now, lastSuccessAt: now },
      dtr: { ...snapshot.sources.dtr, checkedAt: now, lastSuccessAt: now },
    },
    dtr: {
      ...snapshot.dtr,
      replicas: snapshot.dtr.replicas.map((r) => ({
        ...probe(r),
        lastReport: r.lastReport && now,
        ping: r.ping && probe(r.ping),
      })),
      clusterView: snapshot.dtr.clusterView && {
        ...snapshot.dtr.clusterView,
        replicaTimestamp: Object.fromEntries(
          Object.keys(snapshot.dtr.clusterView.replicaTimestamp).map((id) => [id, now]),
        ),
      },
    },
    ucp: {
      ...snapshot.ucp,
      nodes: snapshot.ucp.nodes.map((n) =>
        n.manager?.ping ? { ...n, manager: { ...n.manager, ping: probe(n.manager.ping) } } : n,
      ),
    },
  };
}

describe('live pulse', () => {
  it('turns the last snapshot into the next poll of the same content', () => {
    const first = buildSnapshot({ ...spec, replicas: [...spec.replicas], now: at(0) });
    const next = repoll(first, 2);
    expect(applyPulse({ ...first, warnings: [] }, pulseOf(next))).toEqual({
      ...next,
      warnings: [],
    });
  });

  it('ignores a pulse that is not newer', () => {
    const current: ClusterStatus = { ...buildSnapshot({ now: at(4) }), warnings: [] };
    expect(applyPulse(current, pulseOf(buildSnapshot({ now: at(2) })))).toBe(current);
    expect(applyPulse(current, pulseOf(buildSnapshot({ now: at(4) })))).toBe(current);
  });

  it('leaves the node list alone when no manager was probed, so views of it stay memoised', () => {
    const unprobed = buildSnapshot({ managers: [{ ping: null }, { ping: null }], now: at(0) });
    const current: ClusterStatus = { ...unprobed, warnings: [] };
    const next = applyPulse(current, pulseOf({ ...unprobed, generatedAt: at(2) }));
    expect(next.generatedAt).toBe(at(2));
    expect(next.ucp).toBe(current.ucp);
  });

  it('stays small: no node inventory in it', () => {
    const big = buildSnapshot({ workers: 2000 });
    expect(JSON.stringify(pulseOf(big)).length).toBeLessThan(2000);
  });
});
