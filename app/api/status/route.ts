// GET /api/status — the latest snapshot with warnings (contract: DESIGN.md §5).
import { withAuth } from '@/lib/auth/guard';
import { getClusterStatus } from '@/lib/server/status';

export const GET = withAuth(
  async () => {
    const status = await getClusterStatus();
    return Response.json(status, { headers: { 'cache-control': 'no-store' } });
  },
  { need: 'viewer' },
);
