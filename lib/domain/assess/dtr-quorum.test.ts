import { describe, expect, it } from 'vitest';
import { joinContinuations } from '../shell';
import { warningsFor } from '@/test/support/assess';
import { ago, HOUR, MINUTE, testReplicaId, type SnapshotSpec } from '@/test/support/snapshot';

const [R1, R2, R3, R4, R5] = [0, 1, 2, 3, 4].map(testReplicaId) as [
  string,
  string,
  string,
  string,
  string,
];

const ids = (w: { ladder?: { id: string }[] } | undefined) => w?.ladder?.map((s) => s.id);
const recommended = (w: { ladder?: { id: string; recommended: boolean }[] } | undefined) =>
  w?.ladder?.find((s) => s.recommended)?.id;

describe('DTR_QUORUM_LOST', () => {
  it('calls it an outage; first bring a replica back, emergency repair only after that fails', () => {
    const [lost] = warningsFor('DTR_QUORUM_LOST', {
      replicas: [
        { status: 'unhealthy', lastReport: ago(9 * MINUTE) },
        { status: 'unhealthy', lastReport: ago(3 * MINUTE) },
        // Newest report of all, but it does not answer: not a repair candidate.
        { status: 'unreachable', lastReport: ago(1 * MINUTE) },
      ],
    });
    expect(lost?.severity).toBe('critical');
    expect(lost?.detail).toMatch(/outage, not a read-only mode/);
    expect(lost?.detail).toMatch(/login, push and pull fail/);
    expect(ids(lost)).toEqual(['look', 'bring-back', 'emergency-repair', 'restore']);
    expect(recommended(lost)).toBe('bring-back');
    // The card's command brings a replica back; it never repairs.
    expect(lost?.command).toMatch(/^docker ps -a --filter 'name=dtr-rethinkdb-'/);
    expect(joinContinuations(lost?.command ?? '').replace(/ {2,}/g, ' ')).toContain(
      `docker start $(docker ps -aq --filter name=-${R3}`,
    );
    expect(lost?.command).not.toMatch(/emergency-repair/);
    // The two that answer run their database: bringing back the silent one restores the majority.
    expect(lost?.nextStep).toMatch(
      new RegExp(`^Bring replica ${R3} back\\. 1 replica back restores the majority`),
    );
    const repair = lost?.ladder?.find((s) => s.id === 'emergency-repair');
    expect(repair).toMatchObject({
      level: 'shrink',
      href: `/replicas/repair?replica=${R2}`,
      acknowledge: `I could not bring back ${R3}.`,
    });
    expect(repair?.command).toContain(`emergency-repair \\\n  --existing-replica-id ${R2}`);
    expect(repair?.when).toMatch(/Only after bringing back a replica has failed/);
    expect(repair?.when).toMatch(/newest report \(3 minutes ago\)/);
    expect(repair?.when).toContain(`try ${R1}`);
    expect(lost?.ladder?.at(-1)).toMatchObject({ id: 'restore', level: 'restore' });
  });

  it('with no replica answering, brings one back first; the repair waits for one that answers', () => {
    const [lost] = warningsFor('DTR_QUORUM_LOST', {
      replicas: ['unreachable', 'unreachable', 'unreachable'],
    });
    expect(recommended(lost)).toBe('bring-back');
    const repair = lost?.ladder?.find((s) => s.id === 'emergency-repair');
    expect(repair?.command).toBeUndefined();
    expect(repair?.when).toMatch(/No replica answers/);
  });

  it('on a single replica, never suggests emergency-repair (there is nothing to shrink)', () => {
    const [lost] = warningsFor('DTR_QUORUM_LOST', { replicas: ['unhealthy'] });
    expect(ids(lost)).toEqual(['look', 'bring-back', 'restore']);
    expect(lost?.nextStep).toMatch(/^Bring replica \w+ back/);
  });

  it('prints no repair command without UCP settings, and a VERSION placeholder without a version', () => {
    const spec = { replicas: ['healthy', 'unreachable', 'unreachable'] as const };
    const [unconfigured] = warningsFor(
      'DTR_QUORUM_LOST',
      { replicas: [...spec.replicas] },
      { ucpUrl: null },
    );
    expect(unconfigured?.ladder?.find((s) => s.id === 'emergency-repair')?.command).toBeUndefined();
    const [noVersion] = warningsFor('DTR_QUORUM_LOST', {
      replicas: [...spec.replicas],
      dtrVersion: null,
    });
    const repair = noVersion?.ladder?.find((s) => s.id === 'emergency-repair');
    expect(repair?.command).toContain('docker/dtr:VERSION');
    expect(repair?.when).toMatch(/Replace VERSION/);
  });

  it('says to restore UCP first when UCP quorum is lost too', () => {
    const [lost] = warningsFor('DTR_QUORUM_LOST', {
      replicas: ['healthy', 'unreachable', 'unreachable'],
      managers: ['healthy', 'unreachable', 'unreachable'],
    });
    expect(recommended(lost)).toBe('restore-ucp');
    expect(lost?.nextStep).toMatch(/^Restore the UCP managers first/);
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
  it('is critical at margin 0; the first step brings the replica back, remove and join wait', () => {
    const [risk] = warningsFor('DTR_QUORUM_AT_RISK', {
      replicas: ['healthy', 'healthy', 'unreachable'],
    });
    expect(risk).toMatchObject({ severity: 'critical', subjects: [R3] });
    expect(risk?.detail).toMatch(/one more replica fails, login, push and pull stop/);
    expect(ids(risk)).toEqual(['look', 'bring-back', 'remove-join']);
    expect(recommended(risk)).toBe('bring-back');
    expect(risk?.nextStep).toMatch(new RegExp(`^Bring replica ${R3} back`));
    expect(risk?.command).not.toMatch(/ remove /);
    const remove = risk?.ladder?.find((s) => s.id === 'remove-join');
    expect(remove?.command).toMatch(
      new RegExp(`remove \\\\\\n  --existing-replica-id ${R1} \\\\\\n  --replica-ids ${R3}`),
    );
    expect(remove?.when).toMatch(/Only once it has been down longer than 30 minutes/);
  });

  it('after OFFLINE_LONG_MS, remove and join becomes the first step', () => {
    const [risk] = warningsFor('DTR_QUORUM_AT_RISK', {
      replicas: ['healthy', 'healthy', { status: 'unreachable', since: ago(HOUR) }],
    });
    expect(recommended(risk)).toBe('remove-join');
    expect(risk?.command).toContain(`--replica-ids ${R3}`);
    expect(risk?.nextStep).toMatch(/Down for 1 hour, longer than 30 minutes/);
  });

  it('removes every failed replica in one command (remove needs all others healthy)', () => {
    const [risk] = warningsFor('DTR_QUORUM_AT_RISK', {
      replicas: [
        'healthy',
        { status: 'unhealthy', since: ago(HOUR) },
        'healthy',
        { status: 'unreachable', since: ago(HOUR) },
        'healthy',
      ],
    });
    expect(risk?.command).toContain(`--replica-ids ${R2},${R4}`);
    expect(risk?.nextStep).toMatch(/go in one command/);
  });

  it('runs remove through the replica whose cluster view was read', () => {
    const [risk] = warningsFor('DTR_QUORUM_AT_RISK', {
      replicas: [{ status: 'unreachable', since: ago(HOUR) }, 'healthy', 'healthy'],
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
  it('a storage error: check the storage backend first — rejoining cannot fix shared storage', () => {
    const warnings = warningsFor('DTR_REPLICA_UNHEALTHY', {
      replicas: [
        'healthy',
        'healthy',
        'healthy',
        'healthy',
        { status: 'unhealthy', error: 'registry: storage backend unreachable' },
      ],
    });
    const [w] = warnings;
    expect(w).toMatchObject({ severity: 'warning', subjects: [R5, 'dtr-5'] });
    expect(recommended(w)).toBe('check-storage');
    expect(w?.command).toBe(`docker logs --tail 50 dtr-registry-${R5}`);
    expect(w?.nextStep).toMatch(/Every replica uses the same storage/);
    const remove = w?.ladder?.find((s) => s.id === 'remove-join');
    expect(remove?.when).toMatch(/rejoining cannot fix the shared storage/);
  });

  it('a RethinkDB error: look at dtr-rethinkdb and restart it before anything else', () => {
    const [w] = warningsFor('DTR_REPLICA_UNHEALTHY', {
      replicas: [
        'healthy',
        'healthy',
        'healthy',
        'healthy',
        { status: 'unhealthy', error: 'rethinkdb: disconnected' },
      ],
    });
    expect(ids(w)).toEqual(['check-rethinkdb', 'restart-rethinkdb', 'remove-join']);
    expect(recommended(w)).toBe('check-rethinkdb');
    expect(w?.detail).toMatch(/rethinkdb: disconnected/);
    expect(w?.detail).toMatch(/can take 1 more failure instead of 2/);
    const remove = w?.ladder?.find((s) => s.id === 'remove-join');
    expect(remove?.when).toMatch(/`remove`, never `destroy`/);
  });

  it('is critical when the quorum is at risk', () => {
    const warnings = warningsFor('DTR_REPLICA_UNHEALTHY', {
      replicas: ['healthy', 'healthy', 'unreachable'],
    });
    expect(warnings.map((w) => w.severity)).toEqual(['critical']);
  });

  it('after quorum loss, points at the quorum card (bring a replica back) and never "remove first"', () => {
    const warnings = warningsFor('DTR_REPLICA_UNHEALTHY', {
      replicas: ['healthy', 'unreachable', 'unhealthy'],
    });
    expect(warnings).toHaveLength(2);
    for (const w of warnings) {
      expect(w.severity).toBe('critical');
      expect(w.command).toBeUndefined();
      expect(w.nextStep).toMatch(/bring back any stopped replica first/);
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
    // Down for long: remove and join is now the first step.
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
    expect(w?.nextStep).toMatch(/`remove` cannot run/);
  });
});
