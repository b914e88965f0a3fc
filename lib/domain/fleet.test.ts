import { describe, expect, it } from 'vitest';
import { assessCluster } from './assess';
import { fleetRow, sortFleet, WarningClock, type FleetRow } from './fleet';
import type { ClusterStatus } from './types';
import { TEST_UCP } from '@/test/support/assess';
import {
  buildSnapshot,
  MINUTE,
  SECOND,
  TEST_NOW,
  type SnapshotSpec,
} from '@/test/support/snapshot';

const NOW = Date.parse(TEST_NOW);

function statusOf(spec: SnapshotSpec): ClusterStatus {
  const snapshot = buildSnapshot(spec);
  return { ...snapshot, warnings: assessCluster(snapshot, { ...TEST_UCP, now: new Date(NOW) }) };
}

function row(name: string, spec: SnapshotSpec | null, clock = new WarningClock()): FleetRow {
  const status = spec ? statusOf(spec) : null;
  if (status) clock.observe(status.warnings, status.generatedAt);
  return fleetRow({ name, href: `/c/${name}`, status, firstSeen: clock.firstSeen, now: NOW });
}

describe('fleet rows', () => {
  it('gives each cluster its quorum, margin, worst warning and freshness', () => {
    const healthy = row('prod', { replicas: ['healthy', 'healthy', 'healthy'] });
    expect(healthy.dtr).toEqual({ status: 'healthy', healthy: 3, members: 3, margin: 1 });
    expect(healthy.ucp).toMatchObject({ status: 'healthy', members: 3, margin: 1 });
    expect(healthy.stale).toBe(false);
    const lost = row('dr', { replicas: ['healthy', 'unreachable', 'unreachable'] });
    expect(lost.dtr).toMatchObject({ status: 'lost', healthy: 1, margin: -1 });
    expect(lost.worst).toMatchObject({ code: 'DTR_QUORUM_LOST', severity: 'critical' });
    expect(lost.warnings).toBeGreaterThan(1);
  });

  it('says when the worst warning was first seen, and starts again when it clears and returns', () => {
    const clock = new WarningClock();
    const down = { replicas: ['healthy', 'healthy', 'unreachable'] } as SnapshotSpec;
    clock.observe(
      statusOf({ ...down, now: new Date(NOW - 5 * MINUTE).toISOString() }).warnings,
      new Date(NOW - 5 * MINUTE).toISOString(),
    );
    const later = row('prod', down, clock);
    expect(later.worst?.since).toBe(new Date(NOW - 5 * MINUTE).toISOString());
    clock.observe([], new Date(NOW - SECOND).toISOString());
    expect(row('prod', down, clock).worst?.since).toBe(TEST_NOW);
  });

  it('marks figures stale when the monitor is behind or a source is failing, and waits honestly', () => {
    const old = row('prod', { now: new Date(NOW - 2 * MINUTE).toISOString() });
    expect(old.stale).toBe(true);
    const failing = row('prod', { sources: { ucp: { state: 'stale' } } });
    expect(failing.stale).toBe(true);
    // Never read: no members to count is unknown, not a lost quorum.
    const neverRead = row('hung', {
      replicas: [],
      managers: [],
      sources: { ucp: { state: 'error' }, dtr: { state: 'error' } },
    });
    expect(neverRead.ucp?.status).toBe('unknown');
    expect(neverRead.dtr?.status).toBe('unknown');
    const waiting = row('new', null);
    expect(waiting).toMatchObject({ state: 'waiting', dtr: null, ucp: null, stale: true });
  });

  it('sorts the worst first: lost quorum, then waiting, at risk, warnings, healthy', () => {
    const rows = [
      row('healthy', { replicas: ['healthy', 'healthy', 'healthy'] }),
      row('at-risk', { replicas: ['healthy', 'healthy', 'unreachable'] }),
      row('waiting', null),
      row('lost', { replicas: ['healthy', 'unreachable', 'unreachable'] }),
      row('two', { replicas: ['healthy', 'healthy'] }),
    ];
    expect(sortFleet(rows).map((r) => r.name)).toEqual([
      'lost',
      'waiting',
      'at-risk',
      'two',
      'healthy',
    ]);
  });

  it('keeps the configured order among clusters alike', () => {
    const rows = ['c', 'a', 'b'].map((name) => row(name, {}));
    expect(sortFleet(rows).map((r) => r.name)).toEqual(['c', 'a', 'b']);
  });
});
