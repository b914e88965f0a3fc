// Two demo clusters in one console process (DEMO_CLUSTERS=2), through the real runtime and route
// handlers: each cluster has its own monitor and data, a fault on one changes only its own row of
// the fleet overview, and the routes answer for the cluster the proxy named.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { warningKey, type FleetDocument } from '@/lib/domain/fleet';
import type { ClusterSnapshot } from '@/lib/domain/types';
import { CLUSTER_HEADER } from './cluster-request';
import { getFleet, getRuntime, shutdownRuntime, type Fleet } from './runtime';
import { ConsoleAlerting } from './services/alerting';
import { statusOf } from './services/status';
import { GET as fleetRoute } from '@/app/api/fleet/route';
import { GET as healthz } from '@/app/api/healthz/route';
import { GET as metrics } from '@/app/api/metrics/route';
import { GET as status } from '@/app/api/status/route';

let dir = '';
let fleet: Fleet;
/** Each cluster's latest snapshot and warning ages the moment the runtime was up. */
const atStart = new Map<string, { snapshot: ClusterSnapshot; ages: Map<string, string> }>();

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'fleet-runtime-'));
  vi.stubEnv('DEMO_CLUSTERS', '2');
  vi.stubEnv('AUTH', 'off');
  vi.stubEnv('POLL_INTERVAL_MS', '500');
  vi.stubEnv('DATABASE_URL', `file:${path.join(dir, 'console.db')}`);
  // The first poll can finish while the runtime is still being put together (here: before
  // alerting has started); its warnings must still get an age.
  const startAlerting = ConsoleAlerting.prototype.start;
  const slowStart = vi.spyOn(ConsoleAlerting.prototype, 'start').mockImplementation(async function (
    this: ConsoleAlerting,
    feed,
    store,
  ) {
    await feed.pollNow();
    return startAlerting.call(this, feed, store);
  });
  fleet = await getFleet();
  slowStart.mockRestore();
  for (const runtime of fleet.clusters)
    atStart.set(runtime.cluster, {
      snapshot: runtime.monitor.latest()!,
      ages: new Map(runtime.warningClock.firstSeen),
    });
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

  it('knows how long the first snapshot’s warnings have been active, before any read', async () => {
    const dr = await getRuntime('dr');
    const { snapshot, ages } = atStart.get('dr')!;
    const active = statusOf(snapshot, dr).warnings.filter((warning) => warning.severity !== 'info');
    // dr has one DTR replica: it tolerates no failure, from its first snapshot on.
    expect(active.length).toBeGreaterThan(0);
    for (const warning of active) {
      const since = ages.get(warningKey(warning));
      expect(since, warning.code).toEqual(expect.any(String));
      expect(Date.parse(since!)).toBeLessThanOrEqual(Date.parse(snapshot.generatedAt));
    }
    const row = (await fleetRows()).find((candidate) => candidate.name === 'dr')!;
    expect(row.worst?.since).toEqual(expect.any(String));
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
