import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assessCluster, compareWarnings, RULES } from './assess';
import { createContext } from './assess/context';
import { TEST_UCP } from '@/test/support/assess';
import { ago, buildSnapshot, HOUR, MINUTE, type SnapshotSpec } from '@/test/support/snapshot';
import { WARNING_CODES, type MemberStatus, type ProbeStatus, type WarningCode } from './types';

// One snapshot per code that must raise it.
const FIRES: Record<WarningCode, SnapshotSpec> = {
  DTR_QUORUM_LOST: { replicas: ['healthy', 'unreachable', 'unreachable'] },
  DTR_QUORUM_AT_RISK: { replicas: ['healthy', 'healthy', 'unreachable'] },
  DTR_REPLICA_UNHEALTHY: { replicas: ['healthy', 'healthy', 'healthy', 'healthy', 'unhealthy'] },
  DTR_REPLICA_OFFLINE_LONG: {
    replicas: ['healthy', 'healthy', { status: 'unreachable', since: ago(HOUR) }],
  },
  DTR_REPLICA_STALE_REPORT: { replicas: ['healthy', 'healthy', { lastReport: ago(20 * MINUTE) }] },
  DTR_TWO_REPLICAS: { replicas: ['healthy', 'healthy'] },
  DTR_EVEN_REPLICAS: { replicas: ['healthy', 'healthy', 'healthy', 'healthy'] },
  DTR_SINGLE_REPLICA: { replicas: ['healthy'] },
  DTR_TOO_MANY_REPLICAS: { replicas: Array.from({ length: 9 }, () => 'healthy' as const) },
  DTR_REPLICA_ON_MANAGER: { replicas: ['healthy', 'healthy', { node: 'mgr-1' }] },
  DTR_PING_DISAGREES: { replicas: ['healthy', 'healthy', 'unreachable-from-console'] },
  DTR_TABLES_NOT_WRITABLE: {
    clusterView: { tablesReadyForWrites: false, tablesNotWritable: ['dtr2.tags'] },
  },
  DTR_QUORUM_UNKNOWN: { replicas: ['healthy', 'unknown', 'unknown'] },
  DTR_REPLICA_UNKNOWN: { replicas: ['healthy', 'healthy', 'unknown'] },
  DTR_REPLICA_GHOST: { replicas: ['healthy', 'healthy', 'ghost'] },
  DTR_REPLICAS_SHARE_NODE: { replicas: ['healthy', 'healthy', { node: 'dtr-2' }] },
  DTR_REPLICA_READONLY: { replicas: ['healthy', 'healthy', { readonly: true }] },
  DTR_VERSION_SKEW: { replicas: ['healthy', 'healthy', { version: '2.9.15' }] },
  DTR_REPLICA_SLOW: { replicas: ['healthy', 'healthy', { latencyMedianMs: 806 }] },
  UCP_QUORUM_LOST: { managers: ['healthy', 'unreachable', 'unreachable'] },
  UCP_QUORUM_AT_RISK: { managers: ['healthy', 'healthy', 'unreachable'] },
  UCP_QUORUM_UNKNOWN: { managers: ['healthy', 'unknown', 'unknown'] },
  UCP_NO_LEADER: { noLeader: true },
  UCP_MANAGER_UNREACHABLE: {
    managers: ['healthy', 'healthy', 'healthy', 'healthy', 'unreachable'],
  },
  UCP_MANAGER_UNHEALTHY: { managers: ['healthy', 'healthy', 'unhealthy'] },
  UCP_PING_DISAGREES: { managers: ['healthy', 'healthy', 'unreachable-from-console'] },
  UCP_FEW_MANAGERS: { managers: ['healthy'] },
  UCP_EVEN_MANAGERS: { managers: ['healthy', 'healthy', 'healthy', 'healthy'] },
  NODE_DOWN: { nodes: { 'dtr-1': { state: 'down' } } },
  ZONE_CONCENTRATION: { zones: { 'dtr-1': 'a', 'dtr-2': 'a', 'dtr-3': 'b' } },
  CACHE_SINGLE_REPLICA: { caches: 1 },
  CACHE_UNHEALTHY: { nodes: { 'cache-1': { state: 'down' } } },
  SOURCE_UNREACHABLE: {
    sources: { ucp: { state: 'stale', lastSuccessAt: ago(10 * MINUTE), lastError: 'timeout' } },
  },
};

describe('assessCluster', () => {
  it('says nothing about a healthy 3-replica, 3-manager cluster', () => {
    expect(assessCluster(buildSnapshot(), TEST_UCP)).toEqual([]);
    expect(assessCluster(buildSnapshot())).toEqual([]);
  });

  it.each(WARNING_CODES.map((code) => [code]))(
    'raises %s, and each rule emits only its own code',
    (code) => {
      const snapshot = buildSnapshot(FIRES[code]);
      expect(assessCluster(snapshot, TEST_UCP).map((w) => w.code)).toContain(code);
      const ctx = createContext(snapshot, TEST_UCP);
      for (const other of WARNING_CODES) {
        for (const warning of RULES[other](ctx)) expect(warning.code).toBe(other);
      }
    },
  );

  it('sorts by severity, then code order, then subject', () => {
    const warnings = assessCluster(
      buildSnapshot({
        replicas: ['healthy', 'healthy', 'unreachable', 'unhealthy', 'healthy', 'healthy'],
        caches: 1,
      }),
      TEST_UCP,
    );
    // 6 replicas with 2 down: 4 healthy, exactly the majority.
    expect(warnings.map((w) => `${w.severity} ${w.code}`)).toEqual([
      'critical DTR_QUORUM_AT_RISK',
      'critical DTR_REPLICA_UNHEALTHY',
      'critical DTR_REPLICA_UNHEALTHY',
      'warning CACHE_SINGLE_REPLICA',
      'info DTR_EVEN_REPLICAS',
    ]);
    expect([...warnings].sort(compareWarnings)).toEqual(warnings);
  });

  it('judges ages against the snapshot time unless told otherwise', () => {
    const snapshot = buildSnapshot({
      replicas: ['healthy', 'healthy', { status: 'unreachable', since: ago(20 * MINUTE) }],
    });
    expect(assessCluster(snapshot).map((w) => w.code)).not.toContain('DTR_REPLICA_OFFLINE_LONG');
    const later = new Date(Date.parse(snapshot.generatedAt) + 20 * MINUTE);
    expect(assessCluster(snapshot, { now: later }).map((w) => w.code)).toContain(
      'DTR_REPLICA_OFFLINE_LONG',
    );
  });

  it('prints no command, rather than throwing, when a connection setting is unusable', () => {
    const snapshot = buildSnapshot(FIRES.DTR_QUORUM_AT_RISK);
    const password = 'Hunter2-S3cr3t';
    const warnings = assessCluster(snapshot, {
      ucpUrl: `https://admin:${password}@ucp.example.com`,
      ucpUsername: 'admin',
    });
    expect(warnings.length).toBeGreaterThan(0);
    // No bootstrapper command anywhere; looking and starting containers need no UCP URL.
    for (const w of warnings) {
      expect(w.command ?? '').not.toMatch(/docker run/);
      for (const step of w.ladder ?? []) expect(step.command ?? '').not.toMatch(/docker run/);
    }
    expect(JSON.stringify(warnings)).not.toContain(password);
  });
});

// Any cluster the monitor could report.
const member = fc.constantFrom<MemberStatus>(
  'healthy',
  'healthy',
  'unhealthy',
  'unreachable',
  'unreachable-from-console',
  'unknown',
  'ghost',
);
const probeStatus = fc.constantFrom<ProbeStatus | null>(
  'healthy',
  'unhealthy',
  'unreachable',
  'unknown',
  null,
);
const anySpec: fc.Arbitrary<SnapshotSpec> = fc.record({
  replicas: fc.array(
    fc.record({
      status: member,
      ping: probeStatus,
      readonly: fc.constantFrom(false, true, null),
      version: fc.constantFrom(undefined, '2.9.15', null),
      latencyMedianMs: fc.constantFrom(undefined, 5, 900),
      clusterHealth: fc.constantFrom('OK', 'rethinkdb: disconnected', null),
      since: fc.integer({ min: 0, max: 48 * 60 }).map((m) => ago(m * MINUTE)),
      lastReport: fc.option(
        fc.integer({ min: 0, max: 60 }).map((m): string => ago(m * MINUTE)),
        { nil: null },
      ),
      node: fc.constantFrom(undefined, 'mgr-1', 'worker-1', 'dtr-1; reboot'),
    }),
    { maxLength: 9 },
  ),
  managers: fc.array(member, { maxLength: 7 }),
  caches: fc.integer({ min: 0, max: 3 }),
  zones: fc.dictionary(
    fc.constantFrom('dtr-1', 'dtr-2', 'dtr-3', 'mgr-1', 'mgr-2', 'mgr-3'),
    fc.constantFrom('a', 'b', 'c'),
  ),
  nodes: fc.dictionary(
    fc.constantFrom('dtr-1', 'mgr-2', 'cache-1', 'worker-1'),
    fc.record({ state: fc.constantFrom('ready' as const, 'down' as const, 'unknown' as const) }),
  ),
  dtrVersion: fc.constantFrom('2.9.16', null),
  sources: fc.record({
    dtr: fc.record({
      state: fc.constantFrom('ok' as const, 'stale' as const, 'error' as const),
      lastSuccessAt: fc.constantFrom(ago(HOUR), null),
    }),
  }),
});

describe('assessCluster on any snapshot', () => {
  it('never throws, explains every warning, and keeps the order', () => {
    fc.assert(
      fc.property(anySpec, (spec) => {
        const warnings = assessCluster(buildSnapshot(spec), TEST_UCP);
        for (const w of warnings) {
          expect(w.title.length * w.detail.length * w.nextStep.length).toBeGreaterThan(0);
          expect(w.detail + w.nextStep).not.toMatch(/undefined|NaN|\[object/);
        }
        expect([...warnings].sort(compareWarnings)).toEqual(warnings);
        // Every incident has exactly one primary card, and at most one critical card shows.
        const groups = new Map<string, number>();
        for (const w of warnings) {
          expect(w.group).toBeTruthy();
          if (w.primary) groups.set(w.group ?? '', (groups.get(w.group ?? '') ?? 0) + 1);
        }
        for (const w of warnings) expect(groups.get(w.group ?? '')).toBe(1);
      }),
      { numRuns: 300 },
    );
  });

  it('when the console cannot tell, no warning prints a membership command', () => {
    fc.assert(
      fc.property(anySpec, (spec) => {
        const snapshot = buildSnapshot(spec);
        if (snapshot.dtr.quorum.status !== 'unknown') return;
        for (const w of assessCluster(snapshot, TEST_UCP))
          expect(w.command ?? '').not.toMatch(/ (remove|emergency-repair|join) /);
      }),
      { numRuns: 300 },
    );
  });

  it('a healthy cluster of odd sizes ≥ 3 on workers is always silent', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(3, 5, 7),
        fc.constantFrom(3, 5, 7),
        fc.integer({ min: 2, max: 5 }),
        (replicas, managers, caches) => {
          const spec = {
            replicas: Array.from({ length: replicas }, () => 'healthy' as const),
            managers: Array.from({ length: managers }, () => 'healthy' as const),
            caches,
          };
          expect(assessCluster(buildSnapshot(spec), TEST_UCP)).toEqual([]);
        },
      ),
    );
  });

  it('after DTR quorum loss, never prints a remove command or says to remove first', () => {
    fc.assert(
      fc.property(anySpec, (spec) => {
        const snapshot = buildSnapshot(spec);
        if (snapshot.dtr.quorum.status !== 'lost') return;
        for (const w of assessCluster(snapshot, TEST_UCP)) {
          expect(w.command ?? '').not.toMatch(/ remove /);
          expect(w.nextStep).not.toMatch(/remove (it|replica \w+|the failed replicas) first/);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('a Swarm-only console (DTR not configured)', () => {
  const swarmOnly = (spec: SnapshotSpec = {}) =>
    assessCluster(buildSnapshot({ dtrConfigured: false, via: 'engine', ...spec }), TEST_UCP);

  it('raises no DTR warning and no source warning for DTR, yet judges the managers', () => {
    expect(swarmOnly()).toEqual([]);
    const codes = swarmOnly({ managers: ['healthy', 'healthy', 'unreachable'] }).map((w) => w.code);
    expect(codes).toEqual(['UCP_QUORUM_AT_RISK', 'UCP_MANAGER_UNREACHABLE', 'NODE_DOWN']);
  });

  it('ignores replica data whenever the DTR source says it is not configured', () => {
    const leftover = buildSnapshot({
      replicas: ['healthy', 'unreachable', 'unreachable'],
      sources: { dtr: { state: 'error', lastSuccessAt: null, configured: false } },
    });
    const codes = assessCluster(leftover, TEST_UCP).map((w) => w.code);
    expect(codes.filter((c) => c.startsWith('DTR_') || c === 'SOURCE_UNREACHABLE')).toEqual([]);
    expect(assessCluster({ ...leftover, sources: buildSnapshot().sources }, TEST_UCP)).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'DTR_QUORUM_LOST' })]),
    );
  });
});
