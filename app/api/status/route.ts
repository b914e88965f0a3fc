// GET /api/status — the latest snapshot with warnings (contract: DESIGN.md §5).
import { withAuth } from '@/lib/auth/guard';
import { getClusterStatusJson } from '@/lib/server/status';

export const GET = withAuth(
  async () => {
    return new Response(await getClusterStatusJson(), {
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    });
  },
  { need: 'viewer' },
);
