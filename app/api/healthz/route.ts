// GET /api/healthz — the console's own health: is the monitor polling on schedule (or, on a
// standby instance of several sharing Postgres, is some instance's snapshot arriving)? In a fleet
// the unprefixed route answers for every cluster's monitor (each listed), /c/<name>/api/healthz
// for that cluster's.
import { CLUSTER_HEADER } from '@/lib/server/cluster-request';
import { withScrapeAccess } from '@/lib/server/route';
import type { Runtime } from '@/lib/server/runtime';

function monitorHealth(runtime: Runtime, now: number) {
  const latest = runtime.monitor.latest();
  const ageMs = latest ? now - Date.parse(latest.generatedAt) : null;
  const polling =
    ageMs !== null && ageMs < runtime.config.pollIntervalMs * 3 + runtime.config.probeTimeoutMs * 2;
  return { ok: polling || latest === null, lastPollAt: latest?.generatedAt ?? null, ageMs };
}

export const GET = withScrapeAccess(async (request, _context, runtime): Promise<Response> => {
  const now = Date.now();
  const own = monitorHealth(runtime, now);
  const { role, instance, poller } = runtime.role();
  const whole = runtime.fleet.multi && request.headers.get(CLUSTER_HEADER) === null;
  const clusters = whole
    ? runtime.fleet.clusters.map((cluster) => ({
        name: cluster.cluster,
        ...monitorHealth(cluster, now),
      }))
    : null;
  const ok = clusters ? clusters.every((cluster) => cluster.ok) : own.ok;
  return Response.json(
    {
      ok,
      mode: runtime.config.mode,
      lastPollAt: own.lastPollAt,
      lastPollAgeMs: own.ageMs,
      instance: { name: instance, role, poller },
      ...(clusters
        ? {
            clusters: clusters.map(({ name, ok: clusterOk, lastPollAt, ageMs }) => ({
              name,
              ok: clusterOk,
              lastPollAt,
              lastPollAgeMs: ageMs,
            })),
          }
        : {}),
    },
    { status: ok ? 200 : 503, headers: { 'cache-control': 'no-store' } },
  );
});
