import { describe, expect, it } from 'vitest';
import type { Outage } from '@/lib/domain/history';
import {
  describeOutage,
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
