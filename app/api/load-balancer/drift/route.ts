// GET /api/load-balancer/drift — the load balancer's pool (HAProxy stats, LB_STATS_URL) compared with the DTR replicas.
import { withAuth } from '@/lib/server/route';
import { lbDriftState } from '@/lib/monitor/lb-drift';

export const GET = withAuth(
  async (_request, _auth, _context, runtime): Promise<Response> =>
    // The runtime starts the one drift poller when LB_STATS_URL is set; this reads its latest result.
    Response.json(lbDriftState(runtime.lbDrift), { headers: { 'cache-control': 'no-store' } }),
  { need: 'viewer' },
);
