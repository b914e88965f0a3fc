import { describe, expect, it } from 'vitest';
import { assessCluster } from '@/lib/domain/assess';
import type { Warning } from '@/lib/domain/types';
import { TEST_UCP } from '@/test/support/assess';
import { buildSnapshot, type SnapshotSpec } from '@/test/support/snapshot';
import {
  DEFAULT_INCIDENT_POLICY,
  judgeable,
  stepIncidents,
  type Incident,
  type IncidentPolicy,
  type Notification,
} from './incidents';

const T0 = Date.parse('2024-05-01T12:00:00.000Z');
const POLICY: IncidentPolicy = {
  forMs: { critical: 10_000, warning: 60_000, info: 300_000 },
  repeatMs: 3_600_000,
  resolveAfterMs: 0,
  minSeverity: 'warning',
};

const HEALTHY: SnapshotSpec = { replicas: ['healthy', 'healthy', 'healthy'] };
const ONE_DOWN: SnapshotSpec = { replicas: ['healthy', 'healthy', 'unreachable'] };
const TWO_DOWN: SnapshotSpec = { replicas: ['healthy', 'unreachable', 'unreachable'] };

/** Drives the engine through snapshots at given seconds after T0, collecting notifications. */
function run(
  steps: [seconds: number, spec: SnapshotSpec][],
  policy = POLICY,
  start: Incident[] = [],
) {
  let open = start;
  const sent: Notification[] = [];
  for (const [seconds, spec] of steps) {
    const snapshot = buildSnapshot(spec);
    const warnings: Warning[] = assessCluster(snapshot, TEST_UCP);
    const step = stepIncidents(
      open,
      { warnings, canJudge: judgeable(snapshot), now: new Date(T0 + seconds * 1000) },
      policy,
    );
    open = step.open;
    sent.push(...step.notifications);
  }
  return { open, sent, kinds: sent.map((n) => `${n.kind}:${n.incident.group}`) };
}

describe('incidents from the warning stream', () => {
  it('one stopped replica of three is one incident (not one per warning code), fired after `for`', () => {
    const warnings = assessCluster(buildSnapshot(ONE_DOWN), TEST_UCP);
    expect(new Set(warnings.map((w) => w.code)).size).toBeGreaterThan(1);
    const { open, sent } = run([
      [0, ONE_DOWN],
      [9, ONE_DOWN],
      [10, ONE_DOWN],
      [12, ONE_DOWN],
    ]);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      kind: 'firing',
      transition: 'firing',
      at: '2024-05-01T12:00:10.000Z',
      incident: { group: 'dtr-quorum', severity: 'critical', code: 'DTR_QUORUM_AT_RISK' },
    });
    expect(sent[0]?.incident.codes).toEqual(
      expect.arrayContaining(['DTR_QUORUM_AT_RISK', 'DTR_REPLICA_UNHEALTHY']),
    );
    expect(open).toHaveLength(1);
    expect(open[0]?.phase).toBe('firing');
  });

  it('a cause that comes and goes within `for` is never announced (flapping)', () => {
    const { sent, open } = run([
      [0, ONE_DOWN],
      [4, HEALTHY],
      [6, ONE_DOWN],
      [12, HEALTHY],
      [14, ONE_DOWN],
      [20, HEALTHY],
    ]);
    expect(sent).toEqual([]);
    expect(open).toEqual([]);
  });

  it('`for` restarts from the latest appearance after a flap', () => {
    const { sent } = run([
      [0, ONE_DOWN],
      [5, HEALTHY],
      [8, ONE_DOWN],
      [15, ONE_DOWN],
      [18, ONE_DOWN],
    ]);
    expect(sent.map((n) => [n.kind, n.at])).toEqual([['firing', '2024-05-01T12:00:18.000Z']]);
  });

  it('resolves once when the cause is gone, and a new outage is a new incident', () => {
    const { sent } = run([
      [0, ONE_DOWN],
      [10, ONE_DOWN],
      [30, HEALTHY],
      [32, HEALTHY],
      [100, ONE_DOWN],
      [110, ONE_DOWN],
    ]);
    expect(sent.map((n) => n.kind)).toEqual(['firing', 'resolved', 'firing']);
    expect(sent[1]?.incident).toMatchObject({
      phase: 'resolved',
      resolvedAt: '2024-05-01T12:00:30.000Z',
      firedAt: '2024-05-01T12:00:10.000Z',
    });
    expect(sent[2]?.incident.id).not.toBe(sent[0]?.incident.id);
    expect(sent[1]?.incident.id).toBe(sent[0]?.incident.id);
  });

  it('waits resolveAfterMs of clean snapshots before resolving', () => {
    const policy = { ...POLICY, resolveAfterMs: 20_000 };
    const flap = run(
      [
        [0, ONE_DOWN],
        [10, ONE_DOWN],
        [20, HEALTHY],
        [30, ONE_DOWN],
        [40, HEALTHY],
        [59, HEALTHY],
        [60, HEALTHY],
      ],
      policy,
    );
    expect(flap.sent.map((n) => [n.kind, (Date.parse(n.at) - T0) / 1000])).toEqual([
      ['firing', 10],
      ['resolved', 60],
    ]);
  });

  it('repeats a still-firing incident every repeat interval, each repeat numbered', () => {
    const { sent } = run([
      [0, ONE_DOWN],
      [10, ONE_DOWN],
      [3600, ONE_DOWN],
      [3610, ONE_DOWN],
      [7210, ONE_DOWN],
      [7211, ONE_DOWN],
    ]);
    expect(sent.map((n) => n.transition)).toEqual(['firing', 'repeat:1', 'repeat:2']);
  });

  it('announces at once when the incident gets worse (at risk → lost), in the same incident', () => {
    const { sent } = run([
      [0, ONE_DOWN],
      [10, ONE_DOWN],
      [20, TWO_DOWN],
      [25, TWO_DOWN],
    ]);
    expect(sent.map((n) => [n.transition, n.incident.code])).toEqual([
      ['firing', 'DTR_QUORUM_AT_RISK'],
      ['escalated:critical:DTR_QUORUM_LOST', 'DTR_QUORUM_LOST'],
    ]);
    expect(sent[1]?.incident.id).toBe(sent[0]?.incident.id);
    expect(sent[1]?.replaces).toEqual({ code: 'DTR_QUORUM_AT_RISK', severity: 'critical' });
    // Back to at risk and lost again: no news above the worst already announced.
    const wobble = run([
      [0, ONE_DOWN],
      [10, ONE_DOWN],
      [20, TWO_DOWN],
      [30, ONE_DOWN],
      [40, TWO_DOWN],
    ]);
    expect(wobble.sent.map((n) => n.kind)).toEqual(['firing', 'escalated']);
  });

  it('a warning-level cause waits its own, longer `for`', () => {
    // UCP stale: the console's own blindness is a warning, not critical.
    const EVEN: SnapshotSpec = {
      replicas: ['healthy', 'healthy', 'healthy'],
      sources: { ucp: { state: 'stale', lastError: 'connection refused' } },
    };
    const early = run([
      [0, EVEN],
      [59, EVEN],
    ]);
    expect(early.sent).toEqual([]);
    const late = run([
      [0, EVEN],
      [60, EVEN],
    ]);
    expect(late.sent.map((n) => [n.incident.severity, n.incident.code])).toEqual([
      ['warning', 'SOURCE_UNREACHABLE'],
    ]);
  });

  it('does not resolve what a blind snapshot cannot judge (UCP unreachable)', () => {
    const BLIND: SnapshotSpec = {
      replicas: ['healthy', 'healthy', 'healthy'],
      sources: { ucp: { state: 'stale', lastError: 'connection refused' } },
    };
    const { sent, open } = run([
      [0, ONE_DOWN],
      [10, ONE_DOWN],
      [20, BLIND],
      [40, BLIND],
      [80, BLIND],
    ]);
    const kinds = sent.map((n) => `${n.kind}:${n.incident.code}`);
    expect(kinds).not.toContain('resolved:DTR_QUORUM_AT_RISK');
    expect(open.find((i) => i.group === 'dtr-quorum')?.phase).toBe('firing');
    // The console's own blindness is an incident of its own, and it resolves when UCP answers.
    expect(kinds).toContain('firing:SOURCE_UNREACHABLE');
    const after = run([[90, HEALTHY]], POLICY, open);
    expect(after.sent.map((n) => `${n.kind}:${n.incident.code}`).sort()).toEqual([
      'resolved:DTR_QUORUM_AT_RISK',
      'resolved:SOURCE_UNREACHABLE',
    ]);
  });

  it('is idempotent: the same step twice announces nothing new (a restart re-reads the state)', () => {
    const first = run([
      [0, ONE_DOWN],
      [10, ONE_DOWN],
    ]);
    // A new engine starts from the stored open incidents.
    const again = run(
      [
        [10, ONE_DOWN],
        [20, ONE_DOWN],
      ],
      POLICY,
      JSON.parse(JSON.stringify(first.open)) as Incident[],
    );
    expect(again.sent).toEqual([]);
    const resolved = run([[30, HEALTHY]], POLICY, again.open);
    expect(resolved.sent.map((n) => [n.kind, n.incident.id])).toEqual([
      ['resolved', first.open[0]?.id],
    ]);
  });

  it('ignores info-level causes by default, and keeps ids stable per cause', () => {
    expect(DEFAULT_INCIDENT_POLICY.minSeverity).toBe('warning');
    const a = run([[0, ONE_DOWN]]);
    const b = run([[0, ONE_DOWN]]);
    expect(a.open.map((i) => i.id)).toEqual(b.open.map((i) => i.id));
    expect(a.open[0]?.id).toMatch(/^dtr-quorum@[0-9a-z]+$/);
  });
});
