// GET /api/healthz on the demo runtime: a load balancer's or scraper's view of this console.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { getRuntime, shutdownRuntime } from '@/lib/server/runtime';
import { GET } from './route';

const TOKEN = 'healthz-route-test-token-0123456789';

beforeAll(async () => {
  vi.stubEnv('METRICS_TOKEN', TOKEN);
  const runtime = await getRuntime();
  runtime.monitor.stop(); // polls only when a test says so
  await runtime.monitor.pollNow();
});

afterAll(async () => {
  await shutdownRuntime();
  vi.unstubAllEnvs();
});

const check = (headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) =>
  GET(new Request('http://console.test/api/healthz', { headers }), {});

interface Health {
  ok: boolean;
  mode: string;
  lastPollAt: string | null;
  lastPollAgeMs: number | null;
  instance: { name: string; role: string; poller: string | null };
}

describe('GET /api/healthz', () => {
  it('says a freshly polling single console is healthy, and names it', async () => {
    const response = await check();
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as Health;
    expect(body).toMatchObject({ ok: true, mode: 'demo' });
    expect(body.lastPollAgeMs).toBeGreaterThanOrEqual(0);
    expect(body.instance.role).toBe('single');
    expect(body.instance.name).toMatch(/:\d+$/);
    expect(body.instance.poller).toBe(body.instance.name);
  });

  it('answers 503 once the last poll is older than three intervals plus two timeouts', async () => {
    const { config } = await getRuntime();
    const stalledMs = config.pollIntervalMs * 3 + config.probeTimeoutMs * 2 + 1000;
    vi.useFakeTimers({ now: Date.now() + stalledMs, toFake: ['Date'] });
    try {
      const response = await check();
      expect(response.status).toBe(503);
      expect(((await response.json()) as Health).ok).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses a caller without the METRICS_TOKEN', async () => {
    expect((await check({})).status).toBe(401);
  });
});
