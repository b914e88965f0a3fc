import { describe, expect, it } from 'vitest';
import type { Outage } from '@/lib/domain/history';
import {
  describeBlips,
  describeOutage,
  eventSeverity,
  outageSeverity,
  timelineEntries,
  formatTick,
  runs,
  summariseHealthy,
  summariseLatency,
  summariseMargin,
} from './describe';

const T = Date.parse('2024-05-01T14:02:11Z');
const outage = (fields: Partial<Outage>): Outage => ({
  kind: 'replica',
  subject: 'a1640e1c15b6',
  node: 'dtr-node-3',
  state: 'unreachable',
  states: ['unreachable'],
  error: 'connect ECONNREFUSED',
  start: new Date(T).toISOString(),
  end: null,
  endedBy: null,
  durationMs: 0,
  ...fields,
});

describe('describeOutage', () => {
  it('says who went down, when, and for how long', () => {
    expect(
      describeOutage(
        outage({
          end: new Date(T + 192_000).toISOString(),
          endedBy: 'recovered',
          durationMs: 192_000,
        }),
      ),
    ).toEqual({
      what: 'Replica a1640e1c15b6 on dtr-node-3 went unreachable',
      start: '2024-05-01 14:02:11 UTC',
      ended: 'for 3 min 12 s',
    });
  });

  it('leaves the end open while it lasts, and names removals and other subjects', () => {
    expect(describeOutage(outage({})).ended).toBeNull();
    expect(
      describeOutage(
        outage({
          end: new Date(T + 7_200_000).toISOString(),
          endedBy: 'removed',
          durationMs: 7_200_000,
        }),
      ).ended,
    ).toBe('for 2 h, until it was removed');
    expect(describeOutage(outage({ kind: 'dtr-quorum', subject: 'dtr', state: 'lost' })).what).toBe(
      'The DTR cluster lost quorum',
    );
    expect(
      describeOutage(outage({ kind: 'manager', subject: 'mgr-2', state: 'unhealthy' })).what,
    ).toBe('UCP manager mgr-2 became unhealthy');
    expect(describeOutage(outage({ kind: 'source', subject: 'ucp', state: 'stale' })).what).toBe(
      'The UCP API stopped answering',
    );
  });
});

describe('chart text', () => {
  it('labels ticks in UTC, with the date once the range spans days', () => {
    expect(formatTick(T, 6 * 3_600_000)).toBe('14:02');
    expect(formatTick(T, 7 * 86_400_000)).toBe('05-01 14:02');
  });

  it('folds equal consecutive points into one table row', () => {
    const points = [1, 2, 3, 4].map((t, i) => ({ t, v: i < 2 ? 3 : 2 }));
    expect(runs(points, (p) => p.v)).toEqual([
      { from: 1, to: 2, value: 3 },
      { from: 3, to: 4, value: 2 },
    ]);
  });

  it('summarises the healthy count against the majority', () => {
    const row = (lowest: number) => ({ t: T, healthy: lowest, lowest, majority: 2, replicas: 3 });
    expect(summariseHealthy([row(3), row(3)])).toBe(
      'Of 3 DTR replicas, the fewest healthy was 3 (first at 2024-05-01 14:02:11 UTC). Healthy replicas never fell below the majority.',
    );
    expect(summariseHealthy([row(3), row(1)])).toMatch(
      /fewest healthy was 1 .* quorum lost — in 1 interval\.$/,
    );
    expect(summariseHealthy([])).toBe('No samples in this range.');
  });

  it('summarises margins and latency in words', () => {
    expect(summariseMargin([{ t: T, dtr: 1, ucp: 0 }])).toBe(
      'DTR always had at least 1 failure to spare; UCP reached margin 0: one more failure would have lost quorum.',
    );
    expect(summariseMargin([{ t: T, dtr: -1, ucp: 1 }])).toMatch(
      /^DTR lost quorum \(lowest margin -1\)/,
    );
    expect(
      summariseLatency([
        { id: 'a1640e1c15b6', node: 'dtr-node-3', avgMs: 12.4, maxMs: 80, answered: 0.5 },
      ]),
    ).toBe('a1640e1c15b6 (dtr-node-3): average 12 ms, slowest 80 ms, 50% of probes answered.');
  });
});

describe('the timeline: severity and short drops', () => {
  const at = (s: number) => new Date(T + s * 1000).toISOString();
  const blip = (subject: string, start: number, seconds = 5, kind: Outage['kind'] = 'replica') =>
    outage({
      kind,
      subject,
      start: at(start),
      end: at(start + seconds),
      endedBy: 'recovered',
      durationMs: seconds * 1000,
    });

  it('a lost quorum is critical, a member down a warning', () => {
    expect(outageSeverity(outage({ kind: 'dtr-quorum', subject: 'dtr', state: 'lost' }))).toBe(
      'critical',
    );
    expect(outageSeverity(outage({ kind: 'ucp-quorum', subject: 'ucp', state: 'lost' }))).toBe(
      'critical',
    );
    expect(outageSeverity(outage({}))).toBe('warning');
    expect(eventSeverity({ kind: 'dtr-quorum', to: 'lost' })).toBe('critical');
    expect(eventSeverity({ kind: 'replica', to: 'unreachable' })).toBe('warning');
    expect(eventSeverity({ kind: 'replica', to: 'healthy' })).toBe('info');
  });

  it('groups runs of short drops and keeps a quorum loss among them on its own', () => {
    // Newest first, as outages() returns them: 3 drops, the quorum loss, 2 drops, 1 long outage.
    const quorum = outage({
      kind: 'dtr-quorum',
      subject: 'dtr',
      node: null,
      state: 'lost',
      start: at(300),
      end: at(320),
      endedBy: 'recovered',
      durationMs: 20_000,
    });
    const long = outage({
      subject: 'bbbbbbbbbbbb',
      start: at(0),
      end: at(200),
      endedBy: 'recovered',
      durationMs: 200_000,
    });
    const entries = timelineEntries([
      blip('r1', 500),
      blip('m1', 450, 5, 'manager'),
      blip('r2', 400),
      quorum,
      blip('r3', 250),
      blip('r4', 240, 59),
      long,
    ]);
    expect(entries.map((e) => (e.kind === 'outage' ? e.outage.subject : e.outages.length))).toEqual(
      [3, 'dtr', 2, 'bbbbbbbbbbbb'],
    );
    const [first] = entries;
    expect(first?.kind === 'blips' && first.from).toBe(at(400));
    expect(first?.kind === 'blips' && first.to).toBe(at(505));
    expect(first?.kind === 'blips' && describeBlips(first.outages)).toBe(
      '3 short drops, each back within 1 min: 2 DTR replicas, 1 UCP manager',
    );
  });

  it('leaves a lone short drop, an ongoing outage and a removal as they are', () => {
    const ongoing = outage({ subject: 'r9', start: at(100) });
    const removed = blip('r8', 50);
    removed.endedBy = 'removed';
    const entries = timelineEntries([blip('r1', 200), ongoing, removed, blip('r7', 10, 60)]);
    expect(entries.every((e) => e.kind === 'outage')).toBe(true);
    expect(entries).toHaveLength(4);
  });
});
