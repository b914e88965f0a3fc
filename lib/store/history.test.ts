import { existsSync, statSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_RETENTION,
  retentionBounds,
  type HistoryEvent,
  type RetentionPolicy,
} from '@/lib/domain/history';
import { openStore, type Store } from './index';
import { storeBackends, tempDatabase, type StoreBackend } from '@/test/support/store';
import { healthySample } from '@/test/support/samples';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const START = Date.parse('2024-05-01T00:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const REPLICAS = ['a1640e1c15b6', 'b2751f2d26c7', 'c3862a3e37d8'] as const;
const [A, B] = REPLICAS;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const SQLITE: StoreBackend = { name: 'SQLite', temp: async () => tempDatabase() };
let backend: StoreBackend = SQLITE;

function fileOf(t: { file?: string }): string {
  if (!t.file) throw new Error('a SQLite-only test ran on another backend');
  return t.file;
}

async function tempStore(policy?: RetentionPolicy) {
  const t = await backend.temp();
  const clock = { now: START };
  const open = () => openStore(t.url, { clock: () => new Date(clock.now), retention: policy });
  let store = await open();
  cleanups.push(() => t.remove());
  cleanups.push(() => store.close());
  return {
    t,
    clock,
    get store(): Store {
      return store;
    },
    /** Closes the database and opens it again, as a console restart does. */
    async restart() {
      await store.close();
      store = await open();
    },
  };
}

const replicaEvent = (
  at: number,
  subject: string,
  from: string | null,
  to: string,
): HistoryEvent => ({
  at: iso(at),
  kind: 'replica',
  subject,
  from,
  to,
  detail: {
    node: `dtr-${subject.slice(0, 2)}`,
    error: to === 'unreachable' ? 'connect ECONNREFUSED' : null,
  },
});

describe.each(storeBackends())('history store on $name', (b) => {
  beforeAll(() => {
    backend = b;
  });

  it('round-trips events and derives outages from them', async () => {
    const { store } = await tempStore();
    const events = [
      replicaEvent(START + MINUTE, A, 'healthy', 'unreachable'),
      replicaEvent(START + 4 * MINUTE + 12 * SECOND, A, 'unreachable', 'healthy'),
      replicaEvent(START + 10 * MINUTE, B, 'healthy', 'unhealthy'),
    ];
    await store.history.recordEvents(events);
    const data = await store.history.query({
      from: START,
      to: START + HOUR,
      series: ['events'],
    });
    expect(data.events).toEqual(events);
    expect(data.samples).toEqual([]);
    expect(data.outages.map((o) => [o.subject, o.start, o.end, o.durationMs])).toEqual([
      [B, iso(START + 10 * MINUTE), null, 50 * MINUTE],
      [A, iso(START + MINUTE), iso(START + 4 * MINUTE + 12 * SECOND), 3 * MINUTE + 12 * SECOND],
    ]);
  });

  it('finds an outage that began before the range from the last earlier event', async () => {
    const { store } = await tempStore();
    await store.history.recordEvents([
      replicaEvent(START, A, null, 'healthy'),
      replicaEvent(START + HOUR, A, 'healthy', 'unreachable'),
    ]);
    const data = await store.history.query({
      from: START + 2 * HOUR,
      to: START + 3 * HOUR,
      series: ['events'],
    });
    expect(data.events).toEqual([]);
    expect(data.outages).toMatchObject([{ subject: A, start: iso(START + HOUR), end: null }]);
  });

  it('keeps "offline since" across a restart, and forgets it on recovery or removal', async () => {
    const s = await tempStore();
    await s.store.history.recordEvents([
      replicaEvent(START, A, null, 'healthy'),
      replicaEvent(START, B, null, 'healthy'),
      replicaEvent(START + 5 * MINUTE, A, 'healthy', 'unreachable'),
    ]);
    await s.restart();
    expect(await s.store.history.offlineSince(A)).toBe(iso(START + 5 * MINUTE));
    expect(await s.store.history.offlineSince(B)).toBeNull();
    expect(await s.store.history.lastKnownStates()).toEqual(
      expect.arrayContaining([
        {
          kind: 'replica',
          subject: A,
          state: 'unreachable',
          since: iso(START + 5 * MINUTE),
          detail: { node: 'dtr-a1', error: 'connect ECONNREFUSED' },
        },
      ]),
    );

    await s.store.history.recordEvents([replicaEvent(START + HOUR, A, 'unreachable', 'removed')]);
    expect(await s.store.history.offlineSince(A)).toBeNull();
    expect((await s.store.history.lastKnownStates()).map((k) => k.subject)).toEqual([B]);
  });

  it('returns samples averaged to the chosen resolution, keeping the lowest values', async () => {
    const { store } = await tempStore();
    const samples = Array.from({ length: 30 }, (_, i) =>
      healthySample(START + i * 2 * SECOND, REPLICAS),
    );
    samples[7] = {
      ...samples[7]!,
      dtrHealthy: 1,
      dtrHealthyMin: 1,
      dtrMargin: -1,
      dtrMarginMin: -1,
    };
    await store.history.recordSamples(samples);
    await store.history.recordSample(healthySample(START + MINUTE, REPLICAS));
    const data = await store.history.query({
      from: START,
      to: START + 2 * MINUTE,
      series: ['healthy', 'latency'],
      resolutionMs: MINUTE,
    });
    expect(data.resolutionMs).toBe(MINUTE);
    expect(data.samples.map((s) => [s.at, s.count, s.dtrHealthyMin, s.dtrMarginMin])).toEqual([
      [START, 30, 1, -1],
      [START + MINUTE, 1, 3, 1],
    ]);
    expect(data.samples[0]?.dtrHealthy).toBeCloseTo((29 * 3 + 1) / 30, 9);
    expect(data.samples[0]?.latency[A]).toMatchObject({ replies: 30, probes: 30 });
  });

  it('merges a late sample into the 1-minute point already rolled up for its bucket', async () => {
    const { store } = await tempStore();
    await store.history.recordSamples([healthySample(START, REPLICAS)]);
    await store.history.applyRetention(START + 7 * HOUR);
    await store.history.recordSample({
      ...healthySample(START + 30 * SECOND, REPLICAS),
      dtrHealthyMin: 2,
    });
    await store.history.applyRetention(START + 7 * HOUR);
    const { samples } = await store.history.counts();
    expect(samples).toEqual(new Map([[MINUTE, 1]]));
    const data = await store.history.query({
      from: START,
      to: START + MINUTE,
      series: ['healthy'],
      resolutionMs: MINUTE,
    });
    expect(data.samples).toMatchObject([{ at: START, count: 2, dtrHealthyMin: 2 }]);
  });
});

// File size is SQLite's concern; Postgres manages its own space (autovacuum).
describe('history file on SQLite', () => {
  beforeAll(() => {
    backend = SQLITE;
  });

  it('keeps the file bounded: 30 days of 2-second samples, retention hourly on a fake clock', async () => {
    const s = await tempStore();
    const sampleEveryMs = 2 * SECOND;
    const samplesPerHour = HOUR / sampleEveryMs;
    let flaps = 0;
    for (let hour = 0; hour < 30 * 24; hour += 1) {
      const base = START + hour * HOUR;
      await s.store.history.recordSamples(
        Array.from({ length: samplesPerHour }, (_, i) =>
          healthySample(base + i * sampleEveryMs, REPLICAS),
        ),
      );
      // A replica that flaps twice an hour, all month.
      await s.store.history.recordEvents([
        replicaEvent(base + 10 * MINUTE, B, 'healthy', 'unreachable'),
        replicaEvent(base + 12 * MINUTE, B, 'unreachable', 'healthy'),
      ]);
      flaps += 2;
      s.clock.now = base + HOUR;
      await s.store.history.applyRetention(s.clock.now);
    }

    const bounds = retentionBounds(DEFAULT_RETENTION, sampleEveryMs, HOUR);
    const { samples, events } = await s.store.history.counts();
    expect([...samples.keys()].sort((a, b) => a - b)).toEqual([0, MINUTE, 15 * MINUTE]);
    for (const [resolution, rows] of samples)
      expect(rows).toBeLessThanOrEqual(bounds.get(resolution)!);
    // Each tier holds its window: the last 6 h raw, minutes back to 7 days, quarter hours before.
    expect(samples.get(0)).toBe((6 * HOUR) / sampleEveryMs);
    expect(samples.get(MINUTE)).toBe((7 * DAY - 6 * HOUR) / MINUTE);
    expect(samples.get(15 * MINUTE)).toBe((30 * DAY - 7 * DAY) / (15 * MINUTE));
    expect(events).toBe(flaps);

    // Nothing was lost on the way down: every tier still adds up to every sample taken.
    const all = await s.store.history.query({
      from: START,
      to: s.clock.now,
      series: ['healthy'],
      resolutionMs: DAY,
    });
    expect(all.samples.reduce((n, p) => n + p.count, 0)).toBe(30 * 24 * samplesPerHour);

    // Closing checkpoints the WAL into the file and removes it: what is left is the history.
    await s.store.close();
    const bytes = statSync(fileOf(s.t)).size;
    console.info(
      `history file after 30 days of 2-second samples: ${(bytes / 1024 / 1024).toFixed(2)} MiB`,
    );
    expect(existsSync(`${fileOf(s.t)}-wal`)).toBe(false);
    expect(bytes).toBeLessThan(6 * 1024 * 1024);
    // 1.3 million samples written and rolled up: ~15 s of CPU; a busy CI runner needs the slack.
  }, 180_000);

  it('reaches a steady state: rows and file size stop growing once the oldest tier expires', async () => {
    // The default tiers scaled down (1 h raw, 1 day of minutes, 3 days of quarter hours), so
    // steady state comes after a few days of fake time instead of 90.
    const policy: RetentionPolicy = {
      rawKeepMs: HOUR,
      tiers: [
        { resolutionMs: MINUTE, keepMs: DAY },
        { resolutionMs: 15 * MINUTE, keepMs: 3 * DAY },
      ],
      eventsKeepMs: 2 * DAY,
      maxEvents: 50,
    };
    const s = await tempStore(policy);
    const sizes: number[] = [];
    for (let hour = 0; hour < 8 * 24; hour += 1) {
      const base = START + hour * HOUR;
      await s.store.history.recordSamples(
        Array.from({ length: 360 }, (_, i) => healthySample(base + i * 10 * SECOND, REPLICAS)),
      );
      await s.store.history.recordEvents([
        replicaEvent(base + MINUTE, B, 'healthy', 'unreachable'),
        replicaEvent(base + 2 * MINUTE, B, 'unreachable', 'healthy'),
      ]);
      s.clock.now = base + HOUR;
      await s.store.history.applyRetention(s.clock.now);
      if (hour % 24 === 23) sizes.push(statSync(fileOf(s.t)).size);
    }
    const { samples, events } = await s.store.history.counts();
    const bounds = retentionBounds(policy, 10 * SECOND, HOUR);
    for (const [resolution, rows] of samples)
      expect(rows).toBeLessThanOrEqual(bounds.get(resolution)!);
    expect(samples.get(15 * MINUTE)).toBe((3 * DAY - DAY) / (15 * MINUTE));
    expect(events).toBe(50);
    // Days 5 to 8 are past every window: the file no longer grows.
    const steady = sizes.slice(4);
    expect(Math.max(...steady)).toBeLessThanOrEqual(Math.min(...steady) * 1.1);
  }, 60_000);
});
