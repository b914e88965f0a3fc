import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse } from 'shell-quote';
import { createContext } from '../assess/context';
import { joinContinuations } from '../shell';
import { TEST_UCP } from '@/test/support/assess';
import {
  ago,
  buildSnapshot,
  HOUR,
  MINUTE,
  testReplicaId,
  type SnapshotSpec,
} from '@/test/support/snapshot';
import type { AdviceStep, MemberStatus } from '../types';
import { lookCommand, startCommand } from './commands';
import { couldNotBringBack, downLadder, quorumLossLadder, uncertainLadder } from './ladder';

const [R1, R2, R3] = [0, 1, 2].map(testReplicaId) as [string, string, string];

function ladderFor(spec: SnapshotSpec, pick: (ids: string[]) => string[] = (ids) => ids.slice(-1)) {
  const snapshot = buildSnapshot(spec);
  const ctx = createContext(snapshot, TEST_UCP);
  const ids = pick(snapshot.dtr.replicas.map((r) => r.id));
  return downLadder(
    ctx,
    snapshot.dtr.replicas.filter((r) => ids.includes(r.id)),
  );
}

const recommended = (ladder: AdviceStep[]) => ladder.find((s) => s.recommended)?.id;
const LEVELS = ['look', 'bring-back', 'replace', 'shrink', 'restore'];

describe('a replica down while DTR keeps its majority', () => {
  it('just stopped: bring it back first, starting the very containers UCP lists stopped', () => {
    const ladder = ladderFor({
      replicas: ['healthy', 'healthy', { status: 'unreachable', since: ago(3 * MINUTE) }],
    });
    // UCP's container listing says which stopped.
    const snapshot = buildSnapshot({ replicas: ['healthy', 'healthy', 'unreachable'] });
    const down = snapshot.dtr.replicas[2];
    if (!down) throw new Error('no replica');
    down.containers = { total: 9, stopped: ['nginx', 'rethinkdb'] };
    const exact = downLadder(createContext(snapshot, TEST_UCP), [down]);
    expect(exact.find((s) => s.id === 'bring-back')?.command).toBe(
      `docker start dtr-nginx-${R3} dtr-rethinkdb-${R3}`,
    );
    expect(exact.find((s) => s.id === 'bring-back')?.when).toMatch(
      /lists its dtr-nginx and dtr-rethinkdb containers stopped/,
    );
    expect(ladder.map((s) => s.id)).toEqual(['look', 'bring-back', 'remove-join']);
    expect(recommended(ladder)).toBe('bring-back');
    expect(ladder[0]?.command).toBe(
      [
        "docker ps -a --filter 'name=dtr-' \\",
        "  --filter 'node=dtr-3' \\",
        "  --format '{{.Names}}\\t{{.Status}}'",
      ].join('\n'),
    );
    expect(ladder.find((s) => s.id === 'remove-join')?.when).toMatch(
      /Only once it has been down longer than 30 minutes \(now 3 minutes\)/,
    );
  });

  it('its node is down: bring the node back (power, engine) first', () => {
    const ladder = ladderFor({
      replicas: ['healthy', 'healthy', 'unreachable'],
      nodes: { 'dtr-3': { state: 'down' } },
    });
    expect(recommended(ladder)).toBe('bring-back');
    expect(ladder.find((s) => s.id === 'bring-back')?.when).toMatch(
      /Its node dtr-3 is down: power it on, or restart its Docker engine/,
    );
  });

  it('down longer than OFFLINE_LONG_MS: remove and join is recommended, bring-back still listed', () => {
    const ladder = ladderFor({
      replicas: ['healthy', 'healthy', { status: 'unreachable', since: ago(2 * HOUR) }],
    });
    expect(ladder.map((s) => s.id)).toEqual(['look', 'bring-back', 'remove-join']);
    expect(recommended(ladder)).toBe('remove-join');
  });

  it('a ghost: its node is gone, so remove and join at once; rejoining the node is the gentler option', () => {
    const ladder = ladderFor({ replicas: ['healthy', 'healthy', 'ghost'] });
    expect(ladder.map((s) => s.id)).toEqual(['bring-back', 'remove-join']);
    expect(recommended(ladder)).toBe('remove-join');
  });

  it.each([
    ['registry: storage backend unreachable', 'check-storage', 'dtr-registry'],
    ['rethinkdb: connection refused', 'check-rethinkdb', 'dtr-rethinkdb'],
    ['garant: cannot reach the API', 'check-garant', 'dtr-garant'],
  ])('"%s": %s first, with its container’s log', (error, first, container) => {
    const ladder = ladderFor({
      replicas: ['healthy', 'healthy', 'healthy', 'healthy', { status: 'unhealthy', error }],
    });
    expect(recommended(ladder)).toBe(first);
    expect(ladder.find((s) => s.id === first)?.command).toBe(
      `docker logs --tail 50 ${container}-${testReplicaId(4)}`,
    );
  });

  it('a TLS failure: fix the console’s trust; no membership step at all', () => {
    const snapshot = buildSnapshot({ replicas: ['healthy', 'healthy', 'unknown'] });
    const r = snapshot.dtr.replicas[2];
    if (!r?.ping) throw new Error('no probe');
    r.ping = { ...r.ping, kind: 'tls', error: 'TLS: certificate signed by unknown authority' };
    r.verdict = { ...r.verdict, evidence: { ...r.verdict.evidence, console: 'inconclusive' } };
    const ladder = downLadder(createContext(snapshot, TEST_UCP), [r]);
    expect(ladder.map((s) => s.id)).toEqual(['check-tls']);
  });

  it('partitioned (answers, the majority cannot reach it): the network first', () => {
    const ladder = ladderFor({
      replicas: [
        'healthy',
        'healthy',
        { status: 'unhealthy', ping: 'healthy', clusterHealth: 'disconnected' },
      ],
    });
    expect(recommended(ladder)).toBe('check-network');
  });
});

describe('DTR quorum lost', () => {
  const lostCtx = (replicas: SnapshotSpec['replicas'], extra: SnapshotSpec = {}) =>
    createContext(buildSnapshot({ replicas, ...extra }), TEST_UCP);

  it('two of three stopped: bring back any one of them; repair behind "I could not bring back any"; restore last', () => {
    const ladder = quorumLossLadder(lostCtx(['unhealthy', 'unreachable', 'unreachable']));
    expect(ladder.map((s) => [s.id, s.level])).toEqual([
      ['look', 'look'],
      ['bring-back', 'bring-back'],
      ['emergency-repair', 'shrink'],
      ['restore', 'restore'],
    ]);
    expect(recommended(ladder)).toBe('bring-back');
    expect(ladder[1]?.title).toBe(`Bring back any one of ${R2} and ${R3}`);
    // The sentence names the stopped replicas, not R1, which still answers.
    expect(ladder[2]?.acknowledge).toBe(couldNotBringBack([{ id: R2 }, { id: R3 }]));
    expect(ladder[2]?.acknowledge).toBe(`I could not bring back any of ${R2} and ${R3}.`);
    expect(ladder[2]?.command).toContain(`--existing-replica-id ${R1}`);
  });

  it('five replicas, three stopped: any one of the three back restores the majority', () => {
    const ladder = quorumLossLadder(
      lostCtx(['unhealthy', 'unhealthy', 'unreachable', 'unreachable', 'unreachable']),
    );
    expect(ladder[1]?.when).toMatch(/^1 replica back restores the majority \(3 of 5\)/);
  });

  it('one replica: no emergency repair (nothing to shrink)', () => {
    const ladder = quorumLossLadder(lostCtx(['unreachable']));
    expect(ladder.map((s) => s.id)).toEqual(['look', 'bring-back', 'restore']);
  });
});

describe('when the console cannot tell', () => {
  it('only finding out: no membership command', () => {
    const ladder = uncertainLadder(
      createContext(buildSnapshot({ replicas: ['healthy', 'unknown', 'unknown'] }), TEST_UCP),
    );
    expect(ladder.map((s) => s.id)).toEqual(['find-out']);
    expect(ladder[0]?.command).not.toMatch(/docker run/);
  });
});

// Any down set the monitor could report: the ladder's shape holds.
const statuses = fc.constantFrom<MemberStatus>('unhealthy', 'unreachable', 'ghost');
describe('every ladder', () => {
  it('runs from least to most destructive, recommends exactly one rung, and gates a shrink behind a sentence', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            status: statuses,
            since: fc.integer({ min: 0, max: 120 }).map((m) => ago(m * MINUTE)),
            error: fc.constantFrom(
              null,
              'registry: storage backend unreachable',
              'rethinkdb: x',
              'garant: y',
            ),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        fc.integer({ min: 1, max: 4 }),
        (down, healthy) => {
          const ctx = createContext(
            buildSnapshot({
              replicas: [...Array.from({ length: healthy }, () => 'healthy' as const), ...down],
            }),
            TEST_UCP,
          );
          const failed = ctx.snapshot.dtr.replicas.filter((r) => r.status !== 'healthy');
          const ladders = [
            ctx.snapshot.dtr.quorum.status === 'lost'
              ? quorumLossLadder(ctx)
              : downLadder(ctx, failed),
          ];
          for (const ladder of ladders) {
            const levels = ladder.map((s) => LEVELS.indexOf(s.level));
            expect([...levels].sort((a, b) => a - b)).toEqual(levels);
            expect(ladder.filter((s) => s.recommended)).toHaveLength(1);
            for (const s of ladder) if (s.level === 'shrink') expect(s.acknowledge).toBeTruthy();
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('ops commands with hostile values', () => {
  const EXPANDED = '\u0000EXPANDED';
  it('node names either give no command or read back as exactly the filter asked for', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (node) => {
        const command = lookCommand(node);
        if (command === undefined) return;
        expect(parse(joinContinuations(command), (k) => `${EXPANDED}${k}`)).toEqual([
          'docker',
          'ps',
          '-a',
          '--filter',
          'name=dtr-',
          '--filter',
          `node=${node}`,
          '--format',
          '{{.Names}}\\t{{.Status}}',
        ]);
      }),
      { numRuns: 500 },
    );
  });

  it('a replica ID that is not 12 hex characters gets no start command', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (id) => {
        const command = startCommand(id, null);
        if (!/^[0-9a-f]{12}$/.test(id)) expect(command).toBeUndefined();
        else expect(command).toContain(`name=-${id}`);
      }),
    );
    expect(startCommand(R1, ['nginx', 'not-a-component; reboot'])).toBe(
      `docker start dtr-nginx-${R1}`,
    );
  });
});
