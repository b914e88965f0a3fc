// GET /api/metrics against the running demo cluster, with METRICS_TOKEN set as a scraper's
// deployment would set it.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signedInHeaders, VIEWER } from '@/test/support/auth';
import { getRuntime, shutdownRuntime } from '@/lib/server/runtime';
import { GET } from './route';

const TOKEN = 'metrics-route-test-token-0123456789';

let viewer: Record<string, string>;

beforeAll(async () => {
  vi.stubEnv('METRICS_TOKEN', TOKEN);
  const runtime = await getRuntime();
  // Polls only when a test says so.
  runtime.monitor.stop();
  await runtime.monitor.pollNow();
  viewer = await signedInHeaders(VIEWER, runtime.sessionSecret);
});

afterAll(async () => {
  await shutdownRuntime();
  vi.unstubAllEnvs();
});

function scrape(headers: Record<string, string> = {}): Promise<Response> {
  return GET(new Request('http://console.test/api/metrics', { headers }), {});
}

const bearer = { authorization: `Bearer ${TOKEN}` };

/** The value of one series, e.g. `dtr_console_quorum_margin{plane="dtr"}`. */
function valueOf(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

function upstreamRequests(counts: Record<string, Record<string, number>>): number {
  return Object.values(counts).reduce(
    (sum, paths) => sum + Object.values(paths).reduce((n, c) => n + c, 0),
    0,
  );
}

describe('GET /api/metrics (demo mode, METRICS_TOKEN set)', () => {
  it('refuses a scraper without the token, or with another one', async () => {
    const refused: Record<string, string>[] = [
      {},
      { authorization: 'Bearer not-the-metrics-token-at-all' },
    ];
    for (const headers of refused) {
      const response = await scrape(headers);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="dtr-ha-console"');
      expect(response.headers.get('cache-control')).toBe('no-store');
      const body = await response.text();
      expect(body).not.toContain('dtr_console_');
      expect(JSON.parse(body)).toMatchObject({ error: { code: 'unauthorized' } });
    }
  });

  it('serves Prometheus text to the bearer token: the healthy demo cluster and this console', async () => {
    const runtime = await getRuntime();
    const response = await scrape(bearer);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const text = await response.text();

    expect(valueOf(text, 'dtr_console_quorum_members{plane="dtr"}')).toBe(3);
    expect(valueOf(text, 'dtr_console_quorum_margin{plane="dtr"}')).toBe(1);
    expect(valueOf(text, 'dtr_console_quorum_members{plane="ucp"}')).toBe(3);
    expect(valueOf(text, 'dtr_console_quorum_lost{plane="ucp"}')).toBe(0);
    const latest = runtime.monitor.latest();
    for (const replica of latest?.dtr.replicas ?? []) {
      const labels = `{replica="${replica.id}",node="${replica.node}"}`;
      expect(valueOf(text, `dtr_console_dtr_replica_up${labels}`)).toBe(1);
      expect(valueOf(text, `dtr_console_dtr_replica_probe_latency_seconds${labels}`)).toBeLessThan(
        runtime.config.probeTimeoutMs / 1000,
      );
    }
    expect(valueOf(text, 'dtr_console_source_up{source="dtr"}')).toBe(1);
    expect(valueOf(text, 'dtr_console_snapshot_timestamp_seconds')).toBe(
      Date.parse(latest?.generatedAt ?? '') / 1000,
    );
    const { instance } = runtime.role();
    expect(
      valueOf(
        text,
        `dtr_console_info{console_instance="${instance}",role="single",poller="${instance}",mode="demo"}`,
      ),
    ).toBe(1);
    expect(valueOf(text, 'dtr_console_is_poller')).toBe(1);
    expect(text).toMatch(/^dtr_console_process_resident_memory_bytes \d/m);
  });

  it('serves a signed-in viewer too', async () => {
    const response = await scrape(viewer);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('dtr_console_quorum_margin{plane="dtr"} 1');
  });

  it('reads the latest snapshot: a scrape sends no request to the cluster', async () => {
    const runtime = await getRuntime();
    const before = upstreamRequests(runtime.demo!.counters());
    const first = await (await scrape(bearer)).text();
    await (await scrape(bearer)).text();
    expect(upstreamRequests(runtime.demo!.counters())).toBe(before);
    expect(valueOf(first, 'dtr_console_snapshot_timestamp_seconds')).toBe(
      Date.parse(runtime.monitor.latest()?.generatedAt ?? '') / 1000,
    );
  });

  it('shows a stopped replica after the next poll: up=0, margin 0, the warnings it raises', async () => {
    const runtime = await getRuntime();
    const demo = runtime.demo!;
    const stopped = runtime.monitor.latest()!.dtr.replicas[0]!;
    try {
      await demo.setFault(stopped.id, 'stop');
      await runtime.monitor.pollNow();
      const text = await (await scrape(bearer)).text();
      const labels = `{replica="${stopped.id}",node="${stopped.node}"}`;
      expect(valueOf(text, `dtr_console_dtr_replica_up${labels}`)).toBe(0);
      expect(valueOf(text, `dtr_console_dtr_replica_probe_latency_seconds${labels}`)).toBe(
        undefined,
      );
      expect(valueOf(text, 'dtr_console_quorum_healthy_members{plane="dtr"}')).toBe(2);
      expect(valueOf(text, 'dtr_console_quorum_margin{plane="dtr"}')).toBe(0);
      expect(
        valueOf(text, 'dtr_console_warnings{code="DTR_QUORUM_AT_RISK",severity="critical"}'),
      ).toBe(1);
    } finally {
      await demo.reset();
    }
  });
});
