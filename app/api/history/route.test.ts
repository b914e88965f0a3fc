import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HistoryResponse } from '@/lib/server/services/history-read';
import { openStore, type Store } from '@/lib/store';
import { tempDatabase } from '@/test/support/store';
import { healthySample } from '@/test/support/samples';
import { fakeRuntime, signedInHeaders, VIEWER } from '@/test/support/auth';
import { GET } from './route';

const db = tempDatabase();
const state = vi.hoisted(() => ({ store: null as Store | null }));
vi.mock('@/lib/server/runtime', () => ({
  getRuntime: async () => ({ ...fakeRuntime('https://ucp.invalid'), store: state.store }),
}));

const viewer = await signedInHeaders(VIEWER);

const MINUTE = 60_000;
const now = Date.now();
const REPLICAS = ['a1640e1c15b6', 'b2751f2d26c7', 'c3862a3e37d8'];

beforeAll(async () => {
  const store = await openStore(db.url);
  state.store = store;
  await store.history.recordSamples(
    Array.from({ length: 60 }, (_, i) => healthySample(now - 59 * MINUTE + i * MINUTE, REPLICAS)),
  );
  await store.history.recordEvents([
    {
      at: new Date(now - 30 * MINUTE).toISOString(),
      kind: 'replica',
      subject: 'b2751f2d26c7',
      from: 'healthy',
      to: 'unreachable',
      detail: { node: 'dtr-node-2', error: 'connect ECONNREFUSED' },
    },
  ]);
});

afterAll(async () => {
  await state.store?.close();
  db.remove();
});

const call = (query: string, headers = viewer) =>
  GET(new Request(`http://console.test/api/history${query}`, { headers }), undefined);

describe('GET /api/history', () => {
  it('needs a signed-in user', async () => {
    expect((await call('?from=-1h', {})).status).toBe(401);
  });

  it('returns every series and the outages for the last hour', async () => {
    const response = await call('?from=-1h');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as HistoryResponse;
    expect(Date.parse(body.to) - Date.parse(body.from)).toBe(60 * MINUTE);
    expect(body.resolution).toBe(10_000);
    expect(body.series.healthy?.length).toBeGreaterThanOrEqual(59);
    expect(body.series.healthy?.[0]).toMatchObject({
      healthy: 3,
      lowest: 3,
      replicas: 3,
      majority: 2,
    });
    expect(body.series.margin?.[0]).toMatchObject({ dtr: 1, dtrLowest: 1, ucp: 1, ucpLowest: 1 });
    expect(body.series.managers?.[0]).toMatchObject({ reachable: 3, total: 3, majority: 2 });
    expect(body.series.latency?.replicas.map((r) => [r.id, r.node, r.answered])).toEqual([
      ['a1640e1c15b6', null, 1],
      ['b2751f2d26c7', 'dtr-node-2', 1],
      ['c3862a3e37d8', null, 1],
    ]);
    for (const r of body.series.latency?.replicas ?? []) {
      expect(r.avgMs).toBeGreaterThanOrEqual(5);
      expect(r.maxMs).toBeLessThanOrEqual(25);
    }
    expect(body.series.latency?.points[0]?.replicas['a1640e1c15b6']).toMatchObject({ answered: 1 });
    expect(body.events).toHaveLength(1);
    expect(body.outages).toMatchObject([
      { subject: 'b2751f2d26c7', node: 'dtr-node-2', state: 'unreachable', end: null },
    ]);
  });

  it('returns only the series asked for', async () => {
    const body = (await (await call('?from=-2h&to=now&series=margin')).json()) as HistoryResponse;
    expect(Object.keys(body.series)).toEqual(['margin']);
    expect(body.events).toEqual([]);
    expect(body.outages).toEqual([]);
  });

  it.each([
    [
      '?from=yesterday',
      'from: expected an ISO time (2024-05-01T12:00:00Z), "now" or a relative time like -6h, -30m, -7d, got "yesterday"',
    ],
    ['?from=-100d', 'from: the range can span at most 90 days'],
    ['?from=-1h&to=-2h', 'from: must be before to'],
    [
      '?series=healthy,cpu',
      'series: unknown "cpu"; expected a comma list of healthy, margin, latency, managers, events',
    ],
    ['?since=-1h', 'Unrecognized key: "since"'],
  ])('answers 400 with a readable message for "%s"', async (query, message) => {
    const response = await call(query);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code: 'bad_request', message } });
  });
});
