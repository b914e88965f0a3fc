import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  aggregateSamples,
  applyEvents,
  DEFAULT_RETENTION,
  diffAgainst,
  diffSnapshots,
  downsamplePlan,
  historyQuerySchema,
  mergeSamples,
  outages,
  pageRange,
  parseTime,
  resolutionFor,
  retentionBounds,
  sampleOf,
  statesOf,
  validateRetention,
  type HistoryEvent,
  type Sample,
} from '.';
import {
  ago,
  buildSnapshot,
  HOUR,
  MINUTE,
  SECOND,
  TEST_NOW,
  testReplicaId,
} from '@/test/support/snapshot';
import { healthySample } from '@/test/support/samples';

const DAY = 24 * HOUR;
const NOW = Date.parse(TEST_NOW);
const later = (ms: number) => new Date(NOW + ms).toISOString();
const R0 = testReplicaId(0);
const R1 = testReplicaId(1);

describe('diffSnapshots', () => {
  it('records a replica going unreachable at the time the monitor confirmed it', () => {
    const before = buildSnapshot();
    const after = buildSnapshot({
      now: later(10 * SECOND),
      replicas: ['healthy', { status: 'unreachable', since: later(8 * SECOND) }, 'healthy'],
    });
    const events = diffSnapshots(before, after);
    expect(events).toContainEqual({
      at: later(8 * SECOND),
      kind: 'replica',
      subject: R1,
      from: 'healthy',
      to: 'unreachable',
      detail: { node: 'dtr-2', error: 'connect ECONNREFUSED' },
    });
    // 3 replicas, 2 healthy: the DTR quorum is now at risk.
    expect(events).toContainEqual(
      expect.objectContaining({
        kind: 'dtr-quorum',
        subject: 'dtr',
        from: 'healthy',
        to: 'at-risk',
        at: later(10 * SECOND),
        detail: { healthy: 2, members: 3, majority: 2, margin: 0 },
      }),
    );
    expect(events).toHaveLength(2);
  });

  it('says nothing when only timestamps and latencies moved', () => {
    const before = buildSnapshot();
    const after = buildSnapshot({ now: later(2 * SECOND) });
    after.dtr.replicas.forEach((r) => (r.latencyMs = 99));
    expect(diffSnapshots(before, after)).toEqual([]);
  });

  it('records managers, the UCP quorum and the sources', () => {
    const before = buildSnapshot();
    const after = buildSnapshot({
      now: later(MINUTE),
      managers: ['healthy', 'unreachable', 'unreachable'],
      sources: { ucp: { state: 'stale', lastError: 'UCP did not answer in 1500 ms' } },
    });
    const events = diffSnapshots(before, after);
    expect(events.filter((e) => e.kind === 'manager').map((e) => [e.subject, e.to])).toEqual([
      ['mgr-2', 'unreachable'],
      ['mgr-3', 'unreachable'],
    ]);
    expect(events).toContainEqual(
      expect.objectContaining({ kind: 'ucp-quorum', from: 'healthy', to: 'lost' }),
    );
    expect(events).toContainEqual(
      expect.objectContaining({
        kind: 'source',
        subject: 'ucp',
        from: 'ok',
        to: 'stale',
        detail: { error: 'UCP did not answer in 1500 ms' },
      }),
    );
  });

  it('treats a manager whose own /_ping fails as unhealthy even while Raft says reachable', () => {
    const snapshot = buildSnapshot({
      managers: ['healthy', { reachability: 'reachable', ping: 'unhealthy' }, 'healthy'],
    });
    expect(statesOf(snapshot).find((s) => s.subject === 'mgr-2')?.state).toBe('unhealthy');
  });

  it('reports every subject as first seen when there is no earlier state', () => {
    const events = diffSnapshots(null, buildSnapshot());
    expect(events.every((e) => e.from === null)).toBe(true);
    expect(events.map((e) => e.kind).sort()).toEqual([
      'dtr-quorum',
      'manager',
      'manager',
      'manager',
      'replica',
      'replica',
      'replica',
      'source',
      'source',
      'ucp-quorum',
    ]);
  });

  it('records a replica that left the cluster as removed', () => {
    const before = buildSnapshot({ replicas: ['healthy', 'unreachable', 'healthy'] });
    const after = buildSnapshot({
      now: later(MINUTE),
      replicas: ['healthy', { id: testReplicaId(2) }],
    });
    const removed = diffSnapshots(before, after).filter((e) => e.to === 'removed');
    expect(removed).toEqual([
      {
        at: later(MINUTE),
        kind: 'replica',
        subject: R1,
        from: 'unreachable',
        to: 'removed',
        detail: { node: 'dtr-2', error: 'connect ECONNREFUSED' },
      },
    ]);
  });

  it('does not count replicas as removed when DTR never answered (the list is just empty)', () => {
    const before = statesOf(buildSnapshot({ replicas: ['healthy', 'unreachable', 'healthy'] }));
    const after = buildSnapshot({
      now: later(MINUTE),
      replicas: [],
      sources: { dtr: { state: 'error', lastSuccessAt: null, lastError: 'refused' } },
    });
    expect(diffAgainst(before, after).filter((e) => e.kind === 'replica')).toEqual([]);
  });

  it('tracks no quorum for a source the operator did not configure (Swarm without DTR)', () => {
    const snapshot = buildSnapshot({
      replicas: [],
      sources: { dtr: { configured: false, lastSuccessAt: null, checkedAt: null } },
    });
    const kinds = statesOf(snapshot).map((s) => `${s.kind}:${s.subject}`);
    expect(kinds).not.toContain('dtr-quorum:dtr');
    expect(kinds).not.toContain('source:dtr');
    expect(kinds).toContain('ucp-quorum:ucp');
  });

  it('keeps a down replica’s original since across a restart: same state, no new event', () => {
    const stored = applyEvents(
      [],
      [
        {
          at: ago(3 * HOUR),
          kind: 'replica',
          subject: R1,
          from: 'healthy',
          to: 'unreachable',
          detail: { node: 'dtr-2' },
        },
      ],
    );
    // After a restart the monitor's since is its first check, not the original failure.
    const restarted = buildSnapshot({
      replicas: ['healthy', { status: 'unreachable', since: TEST_NOW }, 'healthy'],
    });
    const events = diffAgainst(stored, restarted);
    expect(events.filter((e) => e.subject === R1)).toEqual([]);
    expect(applyEvents(stored, events).find((s) => s.subject === R1)?.since).toBe(ago(3 * HOUR));
  });
});

/** The shared healthy sample, with one replica at 10 ms, changed by `fields`. */
function sample(at: number, fields: Partial<Sample> = {}): Sample {
  return {
    ...healthySample(at, []),
    latency: { [R0]: { avgMs: 10, maxMs: 10, replies: 1, probes: 1 } },
    ...fields,
  };
}

describe('sampleOf', () => {
  it('takes quorum figures and per-replica latency from the snapshot', () => {
    const s = sampleOf(
      buildSnapshot({
        replicas: ['healthy', 'unreachable', 'healthy'],
        managers: ['healthy', 'healthy', 'unreachable'],
      }),
    );
    expect(s).toMatchObject({
      at: NOW,
      count: 1,
      dtrReplicas: 3,
      dtrMajority: 2,
      dtrHealthy: 2,
      dtrHealthyMin: 2,
      dtrMargin: 0,
      ucpManagers: 3,
      ucpReachable: 2,
      ucpMargin: 0,
    });
    expect(s.latency[R0]).toEqual({ avgMs: 12, maxMs: 12, replies: 1, probes: 1 });
    expect(s.latency[R1]).toEqual({ avgMs: null, maxMs: null, replies: 0, probes: 1 });
  });
});

describe('aggregateSamples', () => {
  it('averages by count, keeps the lowest quorum figures and merges latency of replies only', () => {
    const [bucket, ...rest] = aggregateSamples(
      [
        sample(NOW, { latency: { [R0]: { avgMs: 10, maxMs: 10, replies: 1, probes: 1 } } }),
        sample(NOW + 10 * SECOND, {
          dtrHealthy: 2,
          dtrHealthyMin: 2,
          dtrMargin: 0,
          dtrMarginMin: 0,
          latency: { [R0]: { avgMs: null, maxMs: null, replies: 0, probes: 1 } },
        }),
        sample(NOW + 20 * SECOND, {
          count: 2,
          latency: { [R0]: { avgMs: 40, maxMs: 70, replies: 2, probes: 2 } },
        }),
      ],
      MINUTE,
    );
    expect(rest).toEqual([]);
    expect(bucket).toMatchObject({
      at: NOW,
      count: 4,
      dtrHealthy: 2.75,
      dtrHealthyMin: 2,
      dtrMargin: 0.75,
      dtrMarginMin: 0,
    });
    expect(bucket?.latency[R0]).toEqual({ avgMs: 30, maxMs: 70, replies: 3, probes: 4 });
  });

  it('rolling up in two steps gives what rolling up at once gives', () => {
    const arbSample = fc.record({
      offset: fc.integer({ min: 0, max: 2 * HOUR }),
      healthy: fc.integer({ min: 0, max: 5 }),
      latency: fc.option(fc.integer({ min: 1, max: 2000 }), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(arbSample, { minLength: 1, maxLength: 60 }), (specs) => {
        const raw = specs.map(({ offset, healthy, latency }) =>
          sample(NOW + offset, {
            dtrHealthy: healthy,
            dtrHealthyMin: healthy,
            latency: {
              [R0]: {
                avgMs: latency,
                maxMs: latency,
                replies: latency === null ? 0 : 1,
                probes: 1,
              },
            },
          }),
        );
        const direct = aggregateSamples(raw, 15 * MINUTE);
        const stepped = aggregateSamples(aggregateSamples(raw, MINUTE), 15 * MINUTE);
        expect(
          stepped.map((s) => [s.at, s.count, s.dtrHealthyMin, s.latency[R0]?.replies]),
        ).toEqual(direct.map((s) => [s.at, s.count, s.dtrHealthyMin, s.latency[R0]?.replies]));
        stepped.forEach((s, i) => {
          expect(s.dtrHealthy).toBeCloseTo(direct[i]?.dtrHealthy ?? NaN, 9);
          expect(s.latency[R0]?.avgMs ?? -1).toBeCloseTo(direct[i]?.latency[R0]?.avgMs ?? -1, 6);
        });
      }),
    );
  });

  it('refuses to merge nothing', () => {
    expect(() => mergeSamples([], NOW)).toThrow(RangeError);
  });
});

describe('downsamplePlan', () => {
  it('rolls raw into 1-minute points after 6 h, those into 15-minute points after 7 days, and drops them after 90 days', () => {
    const now = Date.parse('2024-05-01T12:34:56.789Z');
    expect(downsamplePlan(now)).toEqual({
      rollups: [
        {
          fromResolutionMs: 0,
          toResolutionMs: MINUTE,
          before: Date.parse('2024-05-01T06:34:00.000Z'),
        },
        {
          fromResolutionMs: MINUTE,
          toResolutionMs: 15 * MINUTE,
          before: Date.parse('2024-04-24T12:30:00.000Z'),
        },
      ],
      purge: { resolutionMs: 15 * MINUTE, before: now - 90 * DAY },
      purgeEventsBefore: now - 90 * DAY,
      maxEvents: 100_000,
    });
  });

  it('follows a custom policy and rejects one whose tiers do not nest', () => {
    const policy = {
      rawKeepMs: HOUR,
      tiers: [{ resolutionMs: 5 * MINUTE, keepMs: DAY }],
      eventsKeepMs: 7 * DAY,
      maxEvents: 10,
    };
    expect(downsamplePlan(NOW, policy).rollups).toHaveLength(1);
    expect(() =>
      validateRetention({
        ...policy,
        tiers: [...policy.tiers, { resolutionMs: 7 * MINUTE, keepMs: 2 * DAY }],
      }),
    ).toThrow(/multiple of 300000 ms/);
    expect(() =>
      validateRetention({ ...policy, tiers: [{ resolutionMs: MINUTE, keepMs: MINUTE }] }),
    ).toThrow(/keep longer/);
  });

  it('bounds each tier: about 2 200 raw, 10 100 one-minute and 8 700 fifteen-minute rows', () => {
    const bounds = retentionBounds(DEFAULT_RETENTION, 10 * SECOND, HOUR);
    expect(bounds.get(0)).toBe(2527);
    expect(bounds.get(MINUTE)).toBe(10156);
    expect(bounds.get(15 * MINUTE)).toBe(8645);
  });
});

const down = (at: string, subject = R1, to = 'unreachable'): HistoryEvent => ({
  at,
  kind: 'replica',
  subject,
  from: 'healthy',
  to,
  detail: { node: 'dtr-2', error: 'connect ECONNREFUSED' },
});
const up = (at: string, subject = R1, to = 'healthy'): HistoryEvent => ({
  at,
  kind: 'replica',
  subject,
  from: 'unreachable',
  to,
  detail: { node: 'dtr-2', error: null },
});

describe('outages', () => {
  const range = { from: later(0), to: later(HOUR) };

  it('finds who went down when, and for how long', () => {
    const found = outages([down(later(2 * MINUTE)), up(later(5 * MINUTE + 12 * SECOND))], range);
    expect(found).toEqual([
      {
        kind: 'replica',
        subject: R1,
        node: 'dtr-2',
        state: 'unreachable',
        states: ['unreachable'],
        error: 'connect ECONNREFUSED',
        start: later(2 * MINUTE),
        end: later(5 * MINUTE + 12 * SECOND),
        endedBy: 'recovered',
        durationMs: 3 * MINUTE + 12 * SECOND,
      },
    ]);
  });

  it('keeps an outage open to the end of the range, and sees one that began before it', () => {
    const found = outages([down(ago(2 * HOUR))], range);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      start: ago(2 * HOUR),
      end: null,
      endedBy: null,
      durationMs: 3 * HOUR,
    });
  });

  it('joins unreachable then unhealthy into one outage, ended by removal', () => {
    const found = outages(
      [
        down(later(MINUTE)),
        down(later(2 * MINUTE), R1, 'unhealthy'),
        up(later(3 * MINUTE), R1, 'removed'),
      ],
      range,
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ states: ['unreachable', 'unhealthy'], endedBy: 'removed' });
  });

  it('leaves out outages over before the range, and sorts newest first', () => {
    const found = outages(
      [
        down(ago(3 * HOUR), R0),
        up(ago(2 * HOUR), R0),
        down(later(10 * MINUTE), R0),
        down(later(20 * MINUTE), R1),
      ],
      range,
    );
    expect(found.map((o) => [o.subject, o.start])).toEqual([
      [R1, later(20 * MINUTE)],
      [R0, later(10 * MINUTE)],
    ]);
  });

  it('counts a lost quorum and a failing source as outages, not a degraded quorum', () => {
    const event = (kind: HistoryEvent['kind'], to: string): HistoryEvent => ({
      at: later(MINUTE),
      kind,
      subject: 'dtr',
      from: null,
      to,
      detail: {},
    });
    const found = outages(
      [event('dtr-quorum', 'degraded'), event('ucp-quorum', 'lost'), event('source', 'stale')],
      range,
    );
    expect(found.map((o) => o.kind).sort()).toEqual(['source', 'ucp-quorum']);
  });
});

describe('time ranges', () => {
  it('parses ISO times, "now" and relative times', () => {
    expect(parseTime('now', NOW)).toBe(NOW);
    expect(parseTime('-6h', NOW)).toBe(NOW - 6 * HOUR);
    expect(parseTime('-30m', NOW)).toBe(NOW - 30 * MINUTE);
    expect(parseTime('-7d', NOW)).toBe(NOW - 7 * DAY);
    expect(parseTime('2024-05-01T10:00:00Z', NOW)).toBe(Date.parse('2024-05-01T10:00:00Z'));
    expect(parseTime('2024-05-01T10:00', NOW)).toBe(Date.parse('2024-05-01T10:00:00Z'));
    expect(parseTime('2024-05-01T12:00:00+02:00', NOW)).toBe(Date.parse('2024-05-01T10:00:00Z'));
    for (const junk of ['', 'yesterday', '6h', '-6y', '1', '2024-13-45', '-1e9d'])
      expect(parseTime(junk, NOW)).toBeNull();
  });

  it('validates the API query with readable messages', () => {
    const schema = historyQuerySchema(NOW);
    expect(schema.parse({})).toEqual({
      from: NOW - 6 * HOUR,
      to: NOW,
      series: ['healthy', 'margin', 'latency', 'managers', 'events'],
    });
    expect(schema.parse({ from: '-1h', series: 'events, healthy' })).toEqual({
      from: NOW - HOUR,
      to: NOW,
      series: ['events', 'healthy'],
    });
    const issues = (query: Record<string, string>) =>
      schema.safeParse(query).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues({ from: 'yesterday' })).toEqual([
      'from: expected an ISO time (2024-05-01T12:00:00Z), "now" or a relative time like -6h, -30m, -7d, got "yesterday"',
    ]);
    expect(issues({ from: '-91d' })).toEqual(['from: the range can span at most 90 days']);
    expect(issues({ from: '-1h', to: '-2h' })).toEqual(['from: must be before to']);
    expect(issues({ series: 'healthy,cpu' })).toEqual([
      'series: unknown "cpu"; expected a comma list of healthy, margin, latency, managers, events',
    ]);
  });

  it('reads the page range from the URL, falling back to 6 h with a notice', () => {
    expect(pageRange({ range: '24h' }, NOW)).toEqual({
      from: NOW - DAY,
      to: NOW,
      preset: '24h',
      notice: null,
    });
    expect(pageRange({ from: '2024-05-01T08:00:00Z', to: '2024-05-01T09:00:00Z' }, NOW)).toEqual({
      from: Date.parse('2024-05-01T08:00:00Z'),
      to: Date.parse('2024-05-01T09:00:00Z'),
      preset: null,
      notice: null,
    });
    expect(pageRange({}, NOW)).toMatchObject({ preset: '6h', notice: null });
    expect(pageRange({ range: '2y' }, NOW)).toMatchObject({
      from: NOW - 6 * HOUR,
      preset: '6h',
      notice: expect.stringContaining('"2y" is not a range'),
    });
    expect(pageRange({ from: 'soon' }, NOW).notice).toMatch(
      /^The custom range in the link was not usable \(from: expected/,
    );
  });

  it('picks a resolution for about 600 points, never finer than the stored data', () => {
    const last = (ms: number) => ({ from: NOW - ms, to: NOW });
    expect(resolutionFor(last(HOUR), NOW)).toBe(10 * SECOND);
    expect(resolutionFor(last(6 * HOUR), NOW)).toBe(MINUTE);
    expect(resolutionFor(last(DAY), NOW)).toBe(5 * MINUTE);
    expect(resolutionFor(last(7 * DAY), NOW)).toBe(HOUR);
    expect(resolutionFor(last(90 * DAY), NOW)).toBe(6 * HOUR);
    // An hour three days ago only exists as 1-minute points; one 10 days ago as 15-minute points.
    expect(resolutionFor({ from: NOW - 3 * DAY, to: NOW - 3 * DAY + HOUR }, NOW)).toBe(MINUTE);
    expect(resolutionFor({ from: NOW - 10 * DAY, to: NOW - 10 * DAY + HOUR }, NOW)).toBe(
      15 * MINUTE,
    );
  });
});
