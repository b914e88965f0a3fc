import { describe, expect, it } from 'vitest';
import { warningsFor } from '../testing/assess';
import { ago, HOUR, MINUTE, testReplicaId, type SnapshotSpec } from '../testing/snapshot';

const [R1, R2, R3, R4, R5] = [0, 1, 2, 3, 4].map(testReplicaId) as [
  string,
  string,
  string,
  string,
  string,
];

describe('DTR_QUORUM_LOST', () => {
  it('calls it an outage and emergency-repairs the answering replica with the newest report', () => {
    const [lost] = warningsFor('DTR_QUORUM_LOST', {
      replicas: [
        { status: 'unhealthy', lastReport: ago(9 * MINUTE) },
        { status: 'unhealthy', lastReport: ago(3 * MINUTE) },
        // Newest report of all, but it does not answer: not a candidate.
        { status: 'unreachable', lastReport: ago(1 * MINUTE) },
      ],
    });
    expect(lost).toMatchObject({ severity: 'critical', href: `/replicas/repair?replica=${R2}` });
    expect(lost?.detail).toMatch(/outage, not a read-only mode/);
    expect(lost?.detail).toMatch(/login, push and pull fail/);
    expect(lost?.command).toContain(`emergency-repair --existing-replica-id ${R2}`);
    expect(lost?.nextStep).toMatch(/newest report \(3 minutes ago\)/);
    expect(lost?.nextStep).toContain(`try ${R1}`);
    expect(lost?.nextStep).toMatch(/restore DTR from backup/);
  });

  it('with no replica answering, says to bring one back or restore from backup, without a command', () => {
    const [lost] = warningsFor('DTR_QUORUM_LOST', {
      replicas: ['unreachable', 'unreachable', 'unreachable'],
    });
    expect(lost?.command).toBeUndefined();
    expect(lost?.nextStep).toMatch(/No replica answers.*restore DTR from backup/);
  });

  it('on a single replica, never suggests emergency-repair (there is nothing to shrink)', () => {
    const [lost] = warningsFor('DTR_QUORUM_LOST', { replicas: ['unhealthy'] });
    expect(lost?.command).toBeUndefined();
    expect(lost?.nextStep).toMatch(/Bring replica .* back.*restore DTR from backup/);
  });

  it('prints no command without UCP settings, and a VERSION placeholder without a version', () => {
    const spec = { replicas: ['healthy', 'unreachable', 'unreachable'] as const };
    const [unconfigured] = warningsFor(
      'DTR_QUORUM_LOST',
      { replicas: [...spec.replicas] },
      { ucpUrl: null },
    );
    expect(unconfigured?.command).toBeUndefined();
    expect(unconfigured?.nextStep).toMatch(/emergency-repair wizard builds the exact command/);
    const [noVersion] = warningsFor('DTR_QUORUM_LOST', {
      replicas: [...spec.replicas],
      dtrVersion: null,
    });
    expect(noVersion?.command).toContain('docker/dtr:VERSION');
    expect(noVersion?.nextStep).toMatch(/Replace VERSION/);
  });

  it('says to restore UCP first when UCP quorum is lost too', () => {
    const [lost] = warningsFor('DTR_QUORUM_LOST', {
      replicas: ['healthy', 'unreachable', 'unreachable'],
      managers: ['healthy', 'unreachable', 'unreachable'],
    });
    expect(lost?.nextStep).toMatch(/^UCP has lost its manager quorum too: restore UCP first/);
  });

  it('does not fire with a majority, or when DTR was never read', () => {
    expect(
      warningsFor('DTR_QUORUM_LOST', { replicas: ['healthy', 'healthy', 'unreachable'] }),
    ).toEqual([]);
    expect(
      warningsFor('DTR_QUORUM_LOST', {
        replicas: [],
        sources: { dtr: { state: 'error', lastSuccessAt: null } },
      }),
    ).toEqual([]);
  });
});

describe('DTR_QUORUM_AT_RISK', () => {
  it('is critical at margin 0 and removes the failed replica through a healthy one', () => {
    const [risk] = warningsFor('DTR_QUORUM_AT_RISK', {
      replicas: ['healthy', 'healthy', 'unreachable'],
    });
    expect(risk).toMatchObject({ severity: 'critical', subjects: [R3] });
    expect(risk?.detail).toMatch(/one more replica fails, login, push and pull stop/);
    expect(risk?.command).toContain(`remove --existing-replica-id ${R1} --replica-ids ${R3}`);
    expect(risk?.nextStep).toMatch(/first, then join .* one change at a time/);
  });

  it('removes every failed replica in one command (remove needs all others healthy)', () => {
    const [risk] = warningsFor('DTR_QUORUM_AT_RISK', {
      replicas: ['healthy', 'unhealthy', 'healthy', 'unreachable', 'healthy'],
    });
    expect(risk?.command).toContain(`--replica-ids ${R2},${R4}`);
    expect(risk?.nextStep).toMatch(/go in one command/);
  });

  it('runs remove through the replica whose cluster view was read', () => {
    const [risk] = warningsFor('DTR_QUORUM_AT_RISK', {
      replicas: ['unreachable', 'healthy', 'healthy'],
      clusterView: { reportedBy: R3 },
    });
    expect(risk?.command).toContain(`--existing-replica-id ${R3}`);
  });

  it('fires on 4 replicas with one down, not on 5 with one down', () => {
    expect(
      warningsFor('DTR_QUORUM_AT_RISK', {
        replicas: ['healthy', 'healthy', 'healthy', 'unhealthy'],
      }),
    ).toHaveLength(1);
    expect(
      warningsFor('DTR_QUORUM_AT_RISK', {
        replicas: ['healthy', 'healthy', 'healthy', 'healthy', 'unhealthy'],
      }),
    ).toEqual([]);
  });

  it('never fires on clusters designed without tolerance, or when healthy or lost', () => {
    expect(warningsFor('DTR_QUORUM_AT_RISK', { replicas: ['healthy'] })).toEqual([]);
    expect(warningsFor('DTR_QUORUM_AT_RISK', { replicas: ['healthy', 'healthy'] })).toEqual([]);
    expect(warningsFor('DTR_QUORUM_AT_RISK')).toEqual([]);
    expect(
      warningsFor('DTR_QUORUM_AT_RISK', { replicas: ['healthy', 'unhealthy', 'unhealthy'] }),
    ).toEqual([]);
  });
});

describe('DTR_REPLICA_UNHEALTHY', () => {
  it('is a warning while margin remains, with remove-then-join and the destroy caveat', () => {
    const warnings = warningsFor('DTR_REPLICA_UNHEALTHY', {
      replicas: [
        'healthy',
        'healthy',
        'healthy',
        'healthy',
        { status: 'unhealthy', error: 'rethinkdb: disconnected' },
      ],
    });
    expect(warnings).toHaveLength(1);
    const [w] = warnings;
    expect(w).toMatchObject({
      severity: 'warning',
      subjects: [R5, 'dtr-5'],
      href: `/replicas/remove?replica=${R5}`,
    });
    expect(w?.detail).toMatch(/rethinkdb: disconnected/);
    expect(w?.detail).toMatch(/can take 1 more failure instead of 2/);
    expect(w?.command).toContain(`--replica-ids ${R5}`);
    expect(w?.nextStep).toMatch(/`remove`, not `destroy`/);
  });

  it('is critical when the quorum is at risk', () => {
    const warnings = warningsFor('DTR_REPLICA_UNHEALTHY', {
      replicas: ['healthy', 'healthy', 'unreachable'],
    });
    expect(warnings.map((w) => w.severity)).toEqual(['critical']);
  });

  it('after quorum loss, says emergency-repair and never "remove first"', () => {
    const warnings = warningsFor('DTR_REPLICA_UNHEALTHY', {
      replicas: ['healthy', 'unreachable', 'unhealthy'],
    });
    expect(warnings).toHaveLength(2);
    for (const w of warnings) {
      expect(w.severity).toBe('critical');
      expect(w.command).toBeUndefined();
      expect(w.nextStep).toMatch(/emergency-repair/);
      expect(w.nextStep).not.toMatch(/remove (it|replica|the failed).* first/i);
    }
  });

  it('does not fire for healthy or not-yet-known replicas', () => {
    expect(
      warningsFor('DTR_REPLICA_UNHEALTHY', { replicas: ['healthy', 'healthy', 'unknown'] }),
    ).toEqual([]);
  });
});

describe('DTR_REPLICA_OFFLINE_LONG', () => {
  it('fires once a replica has been down longer than offlineLongMs, explaining the lost tolerance', () => {
    const [w] = warningsFor('DTR_REPLICA_OFFLINE_LONG', {
      replicas: [
        'healthy',
        'healthy',
        'healthy',
        'healthy',
        { status: 'unreachable', since: ago(2 * HOUR) },
      ],
    });
    expect(w).toMatchObject({
      severity: 'warning',
      title: `DTR replica ${R5} has not been healthy for 2 hours`,
    });
    expect(w?.detail).toMatch(/silently eats failure tolerance/);
    expect(w?.command).toContain(`--replica-ids ${R5}`);
  });

  it('respects the threshold and ignores healthy replicas', () => {
    const recent: SnapshotSpec = {
      replicas: ['healthy', 'healthy', { status: 'unreachable', since: ago(10 * MINUTE) }],
    };
    expect(warningsFor('DTR_REPLICA_OFFLINE_LONG', recent)).toEqual([]);
    expect(
      warningsFor('DTR_REPLICA_OFFLINE_LONG', recent, { offlineLongMs: 5 * MINUTE }),
    ).toHaveLength(1);
    expect(
      warningsFor('DTR_REPLICA_OFFLINE_LONG', {
        replicas: [{ status: 'healthy', since: ago(48 * HOUR) }],
      }),
    ).toEqual([]);
  });

  it('does not advise remove after quorum loss', () => {
    const [w] = warningsFor('DTR_REPLICA_OFFLINE_LONG', {
      replicas: ['healthy', { status: 'unreachable', since: ago(HOUR) }, 'unreachable'],
    });
    expect(w?.command).toBeUndefined();
    expect(w?.nextStep).toMatch(/emergency-repair/);
  });
});
