// GET /api/load-balancer/drift — the load balancer's pool (HAProxy stats, LB_STATS_URL) compared with the DTR replicas.
import { withAuth } from '@/lib/auth/guard';
import { getLbDriftState } from '@/lib/monitor/lb-drift';
import { getRuntime } from '@/lib/server/runtime';

export const GET = withAuth(
  async (): Promise<Response> => {
    // The runtime starts the one drift poller when LB_STATS_URL is set; this reads its latest result.
    await getRuntime();
    return Response.json(getLbDriftState(), { headers: { 'cache-control': 'no-store' } });
  },
  { need: 'viewer' },
);
