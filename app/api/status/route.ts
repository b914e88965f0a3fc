// GET /api/status — the latest snapshot with warnings (contract: DESIGN.md §5).
import { getClusterStatus } from '@/lib/server/status';

export async function GET(): Promise<Response> {
  const status = await getClusterStatus();
  return Response.json(status, { headers: { 'cache-control': 'no-store' } });
}
