import { afterEach, describe, expect, it, vi } from 'vitest';
import { LbDriftPoller } from '@/lib/monitor/lb-drift';
import { fakeRuntime, signedInHeaders, VIEWER } from '@/test/support/auth';
import { GET } from './route';

const state = vi.hoisted(() => ({ lbDrift: null as LbDriftPoller | null }));
vi.mock('@/lib/server/runtime', () => ({
  getRuntime: async () => ({ ...fakeRuntime('https://ucp.invalid'), lbDrift: state.lbDrift }),
}));

const viewer = await signedInHeaders(VIEWER);
const call = (headers: Record<string, string> = viewer) =>
  GET(new Request('https://console.example.com/api/load-balancer/drift', { headers }), undefined);

afterEach(() => {
  state.lbDrift?.stop();
  state.lbDrift = null;
});

describe('GET /api/load-balancer/drift', () => {
  it('needs a signed-in user', async () => {
    const response = await call({});
    expect(response.status).toBe(401);
    expect(await response.text()).not.toContain('configured');
  });

  it('says when LB_STATS_URL is not set', async () => {
    const response = await call();
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toMatchObject({
      configured: false,
      fetchedAt: null,
      error: null,
      pool: [],
      findings: [],
    });
  });

  it('returns the latest pool and findings, without the stats credentials', async () => {
    const fetchPool = vi.fn(async () => [
      {
        backend: 'dtr_https_pool',
        server: 'replica-a1b2c3000999',
        replicaId: 'a1b2c3000999',
        status: 'DOWN',
        checkStatus: null,
        checkDetail: null,
        lastChange: 12,
        address: null,
      },
    ]);
    const poller = new LbDriftPoller({
      statsUrl: 'http://ops:secret@lb.example.com:8404/stats',
      intervalMs: 60_000,
      timeoutMs: 1000,
      getReplicas: () => [],
      fetchPool,
    });
    state.lbDrift = poller;
    await poller.pollNow();
    const before = fetchPool.mock.calls.length;
    const response = await call();
    const text = await response.text();
    expect(text).not.toContain('secret');
    const body = JSON.parse(text) as {
      configured: boolean;
      source: string;
      findings: { code: string }[];
    };
    expect(body).toMatchObject({ configured: true, source: 'lb.example.com:8404', error: null });
    expect(body.findings.map((f) => f.code)).toEqual(['stale-in-pool']);
    // A viewer reads the poller's result; it never causes a request to the load balancer.
    expect(fetchPool.mock.calls.length).toBe(before);
  });
});
