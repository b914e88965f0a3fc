// GET /api/healthz — the console's own health: is the monitor polling on schedule (or, on a
// standby instance of several sharing Postgres, is some instance's snapshot arriving)?
import { withScrapeAccess } from '@/lib/server/route';

export const GET = withScrapeAccess(async (_request, _context, runtime): Promise<Response> => {
  const latest = runtime.monitor.latest();
  const ageMs = latest ? Date.now() - Date.parse(latest.generatedAt) : null;
  const polling =
    ageMs !== null && ageMs < runtime.config.pollIntervalMs * 3 + runtime.config.probeTimeoutMs * 2;
  const { role, instance, poller } = runtime.role();
  return Response.json(
    {
      ok: polling || latest === null,
      mode: runtime.config.mode,
      lastPollAt: latest?.generatedAt ?? null,
      lastPollAgeMs: ageMs,
      instance: { name: instance, role, poller },
    },
    { status: polling || latest === null ? 200 : 503, headers: { 'cache-control': 'no-store' } },
  );
});
