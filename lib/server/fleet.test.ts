// Two demo clusters in one console process (DEMO_CLUSTERS=2), through the real runtime and route
// handlers: each cluster has its own monitor and data, a fault on one changes only its own row of
// the fleet overview, and the routes answer for the cluster the proxy named.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FleetDocument } from '@/lib/domain/fleet';
import { CLUSTER_HEADER } from './cluster-request';
import { getFleet, getRuntime, shutdownRuntime, type Fleet } from './runtime';
import { GET as fleetRoute } from '@/app/api/fleet/route';
import { GET as healthz } from '@/app/api/healthz/route';
import { GET as metrics } from '@/app/api/metrics/route';
import { GET as status } from '@/app/api/status/route';

let dir = '';
let fleet: Fleet;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'fleet-runtime-'));
  vi.stubEnv('DEMO_CLUSTERS', '2');
  vi.stubEnv('AUTH', 'off');
  vi.stubEnv('POLL_INTERVAL_MS', '500');
  vi.stubEnv('DATABASE_URL', `file:${path.join(dir, 'console.db')}`);
  fleet = await getFleet();
  await Promise.all(fleet.clusters.map((runtime) => runtime.monitor.pollNow()));
}, 60_000);

afterAll(async () => {
  await shutdownRuntime();
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

const get = (route: typeof status, url: string, cluster?: string) =>
  route(
    new Request(`http://console.test${url}`, {
      headers: cluster ? { [CLUSTER_HEADER]: cluster } : {},
    }),
    {},
  );

async function fleetRows(): Promise<FleetDocument['clusters']> {
  return ((await (await get(fleetRoute, '/api/fleet')).json()) as FleetDocument).clusters;
}

describe('a console watching two clusters', () => {
  it('runs one monitor, demo and store scope per cluster, named as configured', async () => {
    expect(fleet.multi).toBe(true);
    expect(fleet.clusters.map((runtime) => [runtime.cluster, runtime.base])).toEqual([
      ['prod', '/c/prod'],
      ['dr', '/c/dr'],
    ]);
    const [prod, dr] = fleet.clusters;
    expect(prod!.monitor).not.toBe(dr!.monitor);
    expect(prod!.demo!.ucpUrl).not.toBe(dr!.demo!.ucpUrl);
    expect(prod!.wizardRuns).not.toBe(dr!.wizardRuns);
    expect(await getRuntime('dr')).toBe(dr);
    await expect(getRuntime('staging')).rejects.toThrow('no cluster named "staging"');
  });

  it('answers /api/status for the cluster the proxy named', async () => {
    const dr = (await (await get(status, '/api/status', 'dr')).json()) as {
      dtr: { replicas: unknown[] };
    };
    const prod = (await (await get(status, '/api/status', 'prod')).json()) as {
      dtr: { replicas: unknown[] };
    };
    expect(dr.dtr.replicas).toHaveLength(1);
    expect(prod.dtr.replicas).toHaveLength(3);
  });

  it('changes only the faulty cluster’s row of the fleet overview', async () => {
    const before = await fleetRows();
    const prodBefore = before.find((row) => row.name === 'prod')!;
    const dr = await getRuntime('dr');
    const [replica] = dr.demo!.describe().replicas;
    await dr.demo!.setFault(replica!.id, 'stop');
    await expect
      .poll(async () => (await fleetRows()).find((row) => row.name === 'dr')?.dtr?.status, {
        timeout: 15_000,
      })
      .toBe('lost');
    const after = await fleetRows();
    expect(after[0]!.name).toBe('dr');
    expect(after[0]!.worst).toMatchObject({ severity: 'critical' });
    const prodAfter = after.find((row) => row.name === 'prod')!;
    expect(prodAfter.dtr).toEqual(prodBefore.dtr);
    expect(prodAfter.ucp).toEqual(prodBefore.ucp);
    expect(prodAfter.stale).toBe(false);
    await dr.demo!.reset();
  });

  it('reports every cluster’s monitor on /api/healthz, one cluster’s under its prefix', async () => {
    const whole = (await (await get(healthz, '/api/healthz')).json()) as {
      ok: boolean;
      clusters?: { name: string; ok: boolean }[];
    };
    expect(whole.ok).toBe(true);
    expect(whole.clusters?.map((cluster) => cluster.name)).toEqual(['prod', 'dr']);
    const one = (await (await get(healthz, '/api/healthz', 'dr')).json()) as {
      clusters?: unknown;
    };
    expect(one.clusters).toBeUndefined();
  });

  it('labels every metric series with its cluster', async () => {
    const text = await (await get(metrics, '/api/metrics', 'dr')).text();
    const series = text.split('\n').filter((line) => line && !line.startsWith('#'));
    expect(series.length).toBeGreaterThan(10);
    for (const line of series) expect(line).toContain('cluster="dr"');
  });
});
